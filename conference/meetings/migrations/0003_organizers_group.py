from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANIZERS = "Organizers"
APP_LABELS = ("conference", "people", "papers")
ACTIONS = ("add", "change", "delete", "view")


def create_organizers_group(apps, schema_editor):
    """The group whose members edit the archive, in the admin and through the API.

    Permissions are normally created after all migrations have run; create them now so
    that the group can be given them on a fresh database.
    """
    for label in APP_LABELS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name=ORGANIZERS)
    for label in APP_LABELS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name.startswith("historical"):
                # Edit-history rows are written by the app, not by organizers; depending on
                # migration order they may not exist yet, so leave them out everywhere.
                continue
            content_type = ContentType.objects.get_for_model(model)
            codenames = [f"{action}_{model._meta.model_name}" for action in ACTIONS]
            group.permissions.add(
                *Permission.objects.filter(content_type=content_type, codename__in=codenames)
            )


def delete_organizers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ORGANIZERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("conference", "0002_postgres_search_extensions"),
        ("people", "0001_initial"),
        ("papers", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_organizers_group, delete_organizers_group),
    ]
