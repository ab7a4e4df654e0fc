"""The study (COINr's "coin"): one level's index built and validated once, and what it says of one region."""

from livecommerce.study.profile import Profile
from livecommerce.study.study import Study

__all__ = ["Profile", "Study"]
