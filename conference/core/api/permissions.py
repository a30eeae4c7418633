"""Who may write through the API; the schema's description and the README state this rule."""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly

# Created by migration conference 0003 with the model permissions organizers need.
ORGANIZERS = "Organizers"


class OrganizersMayWrite(DjangoModelPermissionsOrAnonReadOnly):
    """Reads for everyone; writes for members of Organizers (or superusers) holding the model
    permission of the change. A permission given to a user outside the group does not let
    them write through the API: who writes is decided by one group in the admin."""

    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS:
            user = request.user
            if not (user and user.is_authenticated):
                return super().has_permission(request, view)
            if not (user.is_superuser or user.groups.filter(name=ORGANIZERS).exists()):
                return False
        return super().has_permission(request, view)
