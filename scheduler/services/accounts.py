"""Coordinator accounts."""

from scheduler.extensions import db
from scheduler.models import CoordinatorUser


def set_coordinator_password(email: str, password: str) -> CoordinatorUser:
    """Create the account for ``email``, or reset its password; commits."""
    user = db.session.execute(
        db.select(CoordinatorUser).filter_by(email=email)
    ).scalar_one_or_none()
    if user is None:
        user = CoordinatorUser(email=email)
        db.session.add(user)
    user.set_password(password)
    db.session.commit()
    return user
