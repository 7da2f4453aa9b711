"""An approved version of a roadmap: the plan as it stood when the coordinator approved it.

Its own module because both the roadmap services (approval by hand) and the expert review (a
round's «принять») approve a roadmap, and the review is itself called when a roadmap is sent to
it: with approval here, neither imports the other back.
"""

from __future__ import annotations

from typing import Any

from opora.web.programmes.models import Roadmap, RoadmapVersion
from opora.web.programmes.models.roadmaps import APPROVED
from opora.web.programmes.roadmap_diff import snapshot
from opora.web.programmes.selectors.roadmaps import tree
from opora.web.programmes.services import saved


def roadmap_approve(*, by: Any, roadmap: Roadmap, basis: str) -> RoadmapVersion:
    """Keep the current plan as the next approved version (the coordinator's decision)."""
    plan = snapshot(roadmap, tree(roadmap))
    last = roadmap.versions.order_by("-number").first()
    version = saved(RoadmapVersion(roadmap=roadmap, number=(last.number + 1) if last else 1,
                                   snapshot=plan, basis=basis[:300], approved_by=by), by)
    roadmap.status = APPROVED
    saved(roadmap, by, "утверждена")
    return version
