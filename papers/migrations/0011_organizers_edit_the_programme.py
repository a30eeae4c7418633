from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANIZERS = "Organizers"
ACTIONS = ("add", "change", "delete", "view")
MODELS = {"conference": ("room", "session", "sessionchair"), "papers": ("discussant",)}


def grant(apps, schema_editor):
    """Organizers edit rooms, sessions, chairs and discussants as they edit talks."""
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=ORGANIZERS).first()
    if group is None:
        return
    for label in MODELS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    for label, model_names in MODELS.items():
        codenames = [f"{action}_{name}" for name in model_names for action in ACTIONS]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=ORGANIZERS).first()
    if group is None:
        return
    Permission = apps.get_model("auth", "Permission")
    for label, model_names in MODELS.items():
        codenames = [f"{action}_{name}" for name in model_names for action in ACTIONS]
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("conference", "0009_unique_list_positions_constraints"),
        ("papers", "0010_session_names_replaced"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
    ]
