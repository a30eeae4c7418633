from django.db.models import Max


def next_position(model, **parent):
    """One after the last position in the list ``parent`` names (1 for a new list), so that
    rows made without a position never repeat one (positions are unique in each list)."""
    if any(getattr(value, "pk", 0) is None for value in parent.values()):
        return 1
    last = model._default_manager.filter(**parent).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1
