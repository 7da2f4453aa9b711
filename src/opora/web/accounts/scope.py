"""The Viewer: who is looking, and what they may see and do — one object for every page, action,
export, background task and API call.

Permissions are data-scoped (ARCHITECTURE.md): a school administrator sees and edits only their
school; a curator only the assigned schools; a coordinator or methodist their municipality;
regional staff their region; a superuser everything; an inactive or anonymous user nothing.
The rules live here and only here. A :class:`Viewer` is made once per user object
(:meth:`Viewer.of`; ``request.user`` lives for one request, a task's user for one task) from the
role assignments, read in one query, and then answers every question from memory or with one
scoped query:

- reading: :meth:`~Viewer.schools`, :meth:`~Viewer.school`, :meth:`~Viewer.may_see_school`,
  :meth:`~Viewer.municipalities` (the analysis pages), :meth:`~Viewer.upload_targets`;
- doing: :meth:`~Viewer.may` with an :class:`Action` and the object acted on, and
  :meth:`~Viewer.powers_over` for a school's page.

``tests/web/test_permission_matrix.py`` is the specification: every page, action and API
endpoint × every persona. A new page asks the Viewer and gets its rows there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from opora.web.accounts.assignment_cache import cached_assignments, store_assignments
from opora.web.accounts.models import (
    COORDINATOR,
    CURATOR,
    METHODIST,
    REGIONAL,
    SCHOOL_ADMIN,
    RoleAssignment,
)
from opora.web.schools.models import Municipality, School

#: Roles that read a whole municipality's analysis: coordinator and methodist their
#: municipality; regional staff every municipality of their region.
MUNICIPAL_ROLES = (COORDINATOR, METHODIST)
#: What a coordinator may grant within their municipality; coordinator and regional roles are
#: granted by a superuser only.
ROLES_A_COORDINATOR_GRANTS = (SCHOOL_ADMIN, CURATOR, METHODIST)
ROLES_ONLY_A_SUPERUSER_GRANTS = (COORDINATOR, REGIONAL)


class Action(StrEnum):
    """What a viewer may try beyond reading what is in scope; :meth:`Viewer.may` decides."""

    SEE_ANALYSIS = "analysis.see"          # the overview and runs (no object)
    START_RUN = "run.start"                # a Municipality; None: a region-wide run
    CANCEL_RUN = "run.cancel"              # an AnalysisRun
    EDIT_PASSPORT = "passport.edit"        # a School
    SEE_SCHOOL_HISTORY = "school.history"  # a School
    MANAGE_ROLES = "roles.manage"          # no object
    UPLOAD = "upload"                      # no object: any target; or a Territory
    RESOLVE_UPLOAD = "upload.resolve"      # an UploadJob: match or create its unknown schools
    SEE_DRAFTS = "run.drafts"              # a Municipality: its runs before one is approved
    APPROVE_RUN = "run.approve"            # an AnalysisRun: make it the official list of a year
    TRY_RULES = "run.whatif"               # an AnalysisRun: its what-if, saving configurations
    SEE_SUPPORT = "support.see"            # no object: the events, the calendar, the assignments
    RECORD_EVENT = "event.record"          # a School; None: any school (the «new event» button)
    EDIT_EVENT = "event.edit"              # a SupportEvent (its ``school_ids`` loaded)
    CONFIRM_ATTENDANCE = "event.attendance"  # a School: its teachers' attendance at events
    MANAGE_ASSIGNMENTS = "support.assign"  # a Municipality: curatorships and network pairs
    MANAGE_COMMUNITIES = "support.communities"  # a Municipality: network communities
    MANAGE_MENTORSHIPS = "support.mentorships"  # a School: mentorships of its teachers
    SEE_COVERAGE = "support.coverage"      # a Municipality; None: any («Кто получил помощь»)
    SEE_STAFF = "staff.see"                # a School: its teachers and their development
    EDIT_STAFF = "staff.edit"              # a School (None: any): add, edit, end, load teachers
    EDIT_DEVELOPMENT = "staff.development"  # a School (None: any): diagnostics, routes, courses
    SEE_DECISIONS = "decisions.see"        # a Municipality; None: any (recommendations, meetings)
    MANAGE_DECISIONS = "decisions.manage"  # a Municipality; None: any (accept, meetings, plan, cycle)
    CLOSE_RECOMMENDATION = "recommendation.close"  # a Recommendation: mark it done or not done
    SEE_PROGRAMMES = "programmes.see"      # a Municipality; None: any (heat map, campaigns, monitoring)
    EDIT_RISK_PROFILE = "profile.edit"     # a School; None: any (typing or loading risk profiles)
    MANAGE_PROGRAMMES = "programmes.manage"  # a Municipality; None: any (campaigns, reviewers, decisions)
    EDIT_PROGRAMME = "programme.edit"      # a School: its documents, its roadmap, its measures
    COMMENT_ROADMAP = "roadmap.comment"    # a School: comments on its roadmap and measures
    REVIEW = "review.fill"                 # a ReviewAssignment: fill in its expert sheet
    SEE_MONITORING = "monitoring.see"      # a School or Municipality; None: any (indicators)
    TYPE_INDICATOR = "monitoring.type"     # a School (None: any): typed indicator values
    SEE_EFFECTIVENESS = "monitoring.effect"  # a Municipality; None: any (effectiveness)
    SEE_REPORTS = "reports.see"            # a Municipality; None: any (its note, protocol, tables)
    MANAGE_REPORTS = "reports.manage"      # a Municipality; None: any (templates, publishing)


@dataclass(frozen=True)
class SchoolPowers:
    """What the viewer may do on one school's pages beyond reading them."""

    edit_passport: bool
    see_history: bool


@dataclass(frozen=True)
class Territory:
    """A municipality (coordinator) or one school of it (school administrator): where files are
    loaded and records kept."""

    municipality: Municipality
    school: School | None = None

    @property
    def value(self) -> str:
        return f"s{self.school.pk}" if self.school else f"m{self.municipality.pk}"

    @property
    def label(self) -> str:
        if self.school:
            return f"Школа: {self.school.short_name} ({self.municipality.name})"
        return f"Муниципалитет: {self.municipality.name}"


#: What an assignment's scope covers, as a lookup on School: its school, every school of its
#: municipality, every school of its region.
_SCOPE_LOOKUPS = {"school": "pk", "municipality": "municipality_id",
                  "region": "municipality__region_id"}
_CACHED = "_opora_viewer"


class Viewer:
    """One user's scope and powers, decided from their role assignments (read once)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.active = bool(getattr(user, "is_authenticated", False) and user.is_active)
        self.superuser = self.active and bool(user.is_superuser)
        self._assignments: list[RoleAssignment] | None = None

    @classmethod
    def of(cls, user: Any) -> Viewer:
        """The viewer of ``user``, made once per user object (one query for the assignments)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(user)
        viewer = user.__dict__.get(_CACHED)
        if viewer is None:
            viewer = cls(user)
            user.__dict__[_CACHED] = viewer
        return viewer

    @staticmethod
    def forget(user: Any) -> None:
        """Drop the cached viewer: the user's assignments changed (``role_assign``, ``role_revoke``)."""
        if user is not None:
            user.__dict__.pop(_CACHED, None)

    # --- the assignments ----------------------------------------------------------------------

    @property
    def assignments(self) -> list[RoleAssignment]:
        """The user's role assignments with their scopes (empty unless active)."""
        if self._assignments is None:
            self._assignments = self._read_assignments() if self.active else []
        return self._assignments

    def _read_assignments(self) -> list[RoleAssignment]:
        """From the cache between requests (accounts/assignment_cache.py), else the database."""
        found = cached_assignments(self.user.pk)
        if found is None:
            found = list(RoleAssignment.objects.filter(user=self.user).select_related(
                "region", "municipality__region", "school__municipality"))
            store_assignments(self.user.pk, found)
        return found

    def held(self) -> set[str]:
        """The role codes the user holds."""
        return {a.role for a in self.assignments}

    def coordinated_ids(self) -> set[int]:
        """Municipalities where the viewer is the coordinator."""
        return {a.municipality_id for a in self.assignments
                if a.role == COORDINATOR and a.municipality_id is not None}

    def regional_ids(self) -> set[int]:
        """Regions where the viewer is regional staff."""
        return {a.region_id for a in self.assignments
                if a.role == REGIONAL and a.region_id is not None}

    def methodist_ids(self) -> set[int]:
        """Municipalities where the viewer is a methodist."""
        return {a.municipality_id for a in self.assignments
                if a.role == METHODIST and a.municipality_id is not None}

    def staff_schools(self) -> QuerySet[School]:
        """Schools whose staff the viewer may read (:attr:`Action.SEE_STAFF`): the school's
        administrator, its assigned curator, the municipality's coordinator and methodists, the
        region's staff — today exactly :meth:`schools`, kept apart so that a future role that
        sees schools (a public reader) does not see people by accident."""
        return self.schools()

    def curated_ids(self) -> set[int]:
        """Schools assigned to the viewer as their curator (a curatorship grants the role)."""
        return {a.school_id for a in self.assignments
                if a.role == CURATOR and a.school_id is not None}

    def municipal_ids(self) -> set[int]:
        """Municipalities where the viewer is the coordinator or a methodist."""
        return {a.municipality_id for a in self.assignments
                if a.role in MUNICIPAL_ROLES and a.municipality_id is not None}

    def administered_school_ids(self) -> set[int]:
        """Schools whose administrator the viewer is."""
        return {a.school_id for a in self.assignments
                if a.role == SCHOOL_ADMIN and a.school_id is not None}

    # --- schools --------------------------------------------------------------------------------

    @staticmethod
    def _scope_of(assignment: RoleAssignment) -> tuple[str, int | None]:
        """The kind of scope of an assignment (a key of ``_SCOPE_LOOKUPS``) and its id: the one
        rule both :meth:`schools` (SQL) and :meth:`may_see_school` (Python) apply."""
        if assignment.school_id is not None:
            return "school", assignment.school_id
        if assignment.municipality_id is not None:
            return "municipality", assignment.municipality_id
        return "region", assignment.region_id

    def schools(self) -> QuerySet[School]:
        """The schools the viewer may see (lists, cards, exports, the API)."""
        if self.superuser:
            return School.objects.all()
        condition: Q | None = None
        for assignment in self.assignments:
            kind, scope_id = self._scope_of(assignment)
            part = Q(**{_SCOPE_LOOKUPS[kind]: scope_id})
            condition = part if condition is None else condition | part
        if condition is None:
            return School.objects.none()
        return School.objects.filter(condition).distinct()

    def may_see_school(self, school: School) -> bool:
        """Whether ``school`` is among :meth:`schools`, decided from the assignments in hand.
        ``school.municipality`` should be loaded (the region check reads its ``region_id``)."""
        if self.superuser:
            return True
        own = {"school": school.pk, "municipality": school.municipality_id,
               "region": school.municipality.region_id}
        return any(own[kind] == scope_id for kind, scope_id in map(self._scope_of,
                                                                    self.assignments))

    def school(self, pk: int) -> School:
        """One school the viewer may see; 404 otherwise (its existence is not disclosed).

        Read by its key and checked in Python (:meth:`may_see_school`): the filtered, ``DISTINCT``
        form of the same read cost ~0.7 ms more on every card.
        """
        try:  # by key, unordered: ``first()`` would sort by the model's ordering (three columns)
            found: School | None = School.objects.select_related("municipality__region").get(pk=pk)
        except School.DoesNotExist:
            found = None
        return self.seen(found)

    def seen(self, found: School | None) -> School:
        """``found`` (read with its municipality) if the viewer may see it; 404 otherwise, as
        for a school that does not exist."""
        if found is None or not self.may_see_school(found):
            raise Http404("Школа не найдена или недоступна")
        return found

    def powers_over(self, school: School) -> SchoolPowers:
        """Beyond reading: the context passport is edited by the school's administrator and the
        coordinator of its municipality; the history of changes is the coordinator's."""
        if self.superuser:
            return SchoolPowers(edit_passport=True, see_history=True)
        coordinator = school.municipality_id in self.coordinated_ids()
        admin = school.pk in self.administered_school_ids()
        return SchoolPowers(edit_passport=coordinator or admin, see_history=coordinator)

    # --- municipalities -------------------------------------------------------------------------

    def municipalities(self) -> list[Municipality]:
        """Municipalities whose overview and runs the viewer may read (with their regions);
        empty for school-level roles."""
        if self.superuser:
            return list(Municipality.objects.select_related("region").order_by("name"))
        regions = {a.region.pk: a.region for a in self.assignments
                   if a.role == REGIONAL and a.region is not None}
        municipal = {a.municipality.pk: a.municipality for a in self.assignments
                     if a.role in MUNICIPAL_ROLES and a.municipality is not None}
        if regions:  # regional staff: every municipality of the region, the region in hand
            for found in Municipality.objects.filter(region_id__in=list(regions)):
                found.region = regions[found.region_id]
                municipal.setdefault(found.pk, found)
        return sorted(municipal.values(), key=lambda m: (m.name.casefold(), m.pk))

    def require_municipalities(self) -> list[Municipality]:
        """:meth:`municipalities`, or 403 for a viewer with no municipal or regional role."""
        found = self.municipalities()
        if not found:
            raise PermissionDenied("Обзор и расчёты доступны координатору, методисту и "
                                   "региональному координатору.")
        return found

    def coordinated_municipalities(self) -> list[Municipality]:
        """Municipalities the viewer coordinates (a superuser: all), with their regions."""
        if self.superuser:
            return list(Municipality.objects.select_related("region").order_by("name"))
        found = {a.municipality.pk: a.municipality for a in self.assignments
                 if a.role == COORDINATOR and a.municipality is not None}
        return sorted(found.values(), key=lambda m: (m.name.casefold(), m.pk))

    def upload_targets(self) -> list[Territory]:
        """Where the viewer may load files: a coordinator their municipality, a school
        administrator their school; empty means no access to the import pages."""
        if self.superuser:
            return [Territory(m) for m in Municipality.objects.order_by("name")]
        targets = []
        for assignment in self.assignments:
            if assignment.role == COORDINATOR and assignment.municipality is not None:
                targets.append(Territory(assignment.municipality))
            elif assignment.role == SCHOOL_ADMIN and assignment.school is not None:
                targets.append(Territory(assignment.school.municipality, assignment.school))
        return targets

    # --- actions --------------------------------------------------------------------------------

    def may(self, action: Action, obj: Any = None) -> bool:
        """Whether the viewer may do ``action`` on ``obj`` (see :class:`Action` for the objects)."""
        if not self.active:
            return False
        if self.superuser:
            return True
        held = self.held()
        match action:
            case Action.SEE_ANALYSIS:
                return bool(held & {COORDINATOR, METHODIST, REGIONAL})
            case Action.START_RUN:  # a region-wide run (obj None) is the superuser's
                return obj is not None and obj.pk in self.coordinated_ids()
            case Action.CANCEL_RUN:  # mirrors who may start it
                return obj.municipality_id is not None and \
                    obj.municipality_id in self.coordinated_ids()
            case Action.EDIT_PASSPORT:
                return self.powers_over(obj).edit_passport
            case Action.SEE_SCHOOL_HISTORY:
                return self.powers_over(obj).see_history
            case Action.MANAGE_ROLES:
                return COORDINATOR in held
            case Action.UPLOAD:
                return bool(self.upload_targets()) if obj is None else any(
                    t.value == obj.value for t in self.upload_targets())
            case Action.RESOLVE_UPLOAD:
                return obj.municipality_id in self.coordinated_ids()
            case Action.SEE_DRAFTS:  # the municipality's coordinator, its region's staff
                return obj.pk in self.coordinated_ids() or obj.region_id in self.regional_ids()
            case Action.APPROVE_RUN:  # a municipality's run: its coordinator; a region's: staff
                if obj.municipality_id is not None:
                    return obj.municipality_id in self.coordinated_ids()
                return obj.region_id in self.regional_ids()
            case Action.TRY_RULES:  # who sees the run as a draft: its coordinator, region staff
                return obj.region_id in self.regional_ids() or (
                    obj.municipality_id is not None
                    and obj.municipality_id in self.coordinated_ids())
            case Action.SEE_STAFF:  # the school, its curator, its municipality, its region
                return self.may_see_school(obj)
            case Action.EDIT_STAFF:  # the school's administrator, its coordinator; None: any
                if obj is None:
                    return bool(self.administered_school_ids() or self.coordinated_ids())
                return obj.pk in self.administered_school_ids() or \
                    obj.municipality_id in self.coordinated_ids()
            case Action.EDIT_DEVELOPMENT:  # and the municipality's methodists (ИОМ, КПК)
                if obj is None:
                    return self.may(Action.EDIT_STAFF) or bool(self.methodist_ids())
                return self.may(Action.EDIT_STAFF, obj) or \
                    obj.municipality_id in self.methodist_ids()
            case (Action.SEE_SUPPORT | Action.RECORD_EVENT | Action.EDIT_EVENT
                  | Action.CONFIRM_ATTENDANCE | Action.MANAGE_ASSIGNMENTS
                  | Action.MANAGE_COMMUNITIES | Action.MANAGE_MENTORSHIPS | Action.SEE_COVERAGE):
                return self._may_support(action, obj)
            case Action.SEE_DECISIONS | Action.MANAGE_DECISIONS | Action.CLOSE_RECOMMENDATION:
                return self._may_decisions(action, obj)
            case (Action.SEE_PROGRAMMES | Action.EDIT_RISK_PROFILE | Action.MANAGE_PROGRAMMES
                  | Action.EDIT_PROGRAMME | Action.COMMENT_ROADMAP | Action.REVIEW):
                return self._may_programmes(action, obj)
            case Action.SEE_MONITORING | Action.TYPE_INDICATOR | Action.SEE_EFFECTIVENESS:
                return self._may_monitoring(action, obj)
            case Action.SEE_REPORTS:  # the municipality's coordinator and methodists, region staff
                if obj is None:
                    return bool(self.municipal_ids() or self.regional_ids())
                return obj.pk in self.municipal_ids() or obj.region_id in self.regional_ids()
            case Action.MANAGE_REPORTS:  # its coordinator: templates, published documents
                return bool(self.coordinated_ids()) if obj is None else \
                    obj.pk in self.coordinated_ids()
        return False  # pragma: no cover — every action is matched above

    def _may_support(self, action: Action, obj: Any) -> bool:
        """The support work (issue 14): a curator records events for the schools assigned to
        them only, a methodist and the coordinator for the municipality's schools; a school
        administrator confirms their teachers' attendance; the coordinator assigns curators and
        pairs; regional staff read (events and coverage of their region)."""
        held, municipal = self.held(), self.municipal_ids()
        match action:
            case Action.SEE_SUPPORT:
                return bool(held)
            case Action.RECORD_EVENT:
                if obj is None:
                    return bool(municipal or self.curated_ids())
                return obj.municipality_id in municipal or obj.pk in self.curated_ids()
            case Action.EDIT_EVENT:  # a curator: their own events, all schools still theirs
                if obj.municipality_id in municipal:
                    return True
                own = self.user.pk in (obj.created_by_id, obj.organiser_id)
                return own and bool(obj.school_ids) and obj.school_ids <= self.curated_ids()
            case Action.CONFIRM_ATTENDANCE:
                return obj.pk in self.administered_school_ids() or \
                    obj.municipality_id in self.coordinated_ids()
            case Action.MANAGE_ASSIGNMENTS:
                return obj.pk in self.coordinated_ids()
            case Action.MANAGE_COMMUNITIES:
                return obj.pk in municipal
            case Action.MANAGE_MENTORSHIPS:
                return obj.pk in self.administered_school_ids() or \
                    obj.municipality_id in municipal
            case Action.SEE_COVERAGE:  # a curator: their own schools' version
                if obj is None:
                    return bool(held & {COORDINATOR, METHODIST, REGIONAL, CURATOR})
                curated = {a.school.municipality_id for a in self.assignments
                           if a.role == CURATOR and a.school is not None}
                return obj.pk in municipal or obj.region_id in self.regional_ids() or \
                    obj.pk in curated
        return False  # pragma: no cover

    def _may_decisions(self, action: Action, obj: Any) -> bool:
        """Recommendations, decisions and the annual cycle (issue 16): the coordinator accepts
        recommendations, keeps meetings, the plan and the stages; methodists and regional staff
        read them; a school administrator (and a curator, reading) sees the accepted
        recommendations to their school, and the administrator marks them done or not done."""
        match action:
            case Action.SEE_DECISIONS:
                if obj is None:
                    return bool(self.held())
                return obj.pk in self.municipal_ids() or obj.region_id in self.regional_ids()
            case Action.MANAGE_DECISIONS:
                return bool(self.coordinated_ids()) if obj is None else \
                    obj.pk in self.coordinated_ids()
            case Action.CLOSE_RECOMMENDATION:  # ``obj.school_level``: the school acts on it
                if obj.status == "suggested":
                    return False
                return obj.municipality_id in self.coordinated_ids() or (
                    obj.school_id in self.administered_school_ids() and obj.school_level)
        return False  # pragma: no cover

    def _may_programmes(self, action: Action, obj: Any) -> bool:
        """The school programmes (issue 15): a school administrator edits their school's
        documents, roadmap and risk profile; the coordinator runs campaigns, assigns reviewers and
        decides (and may edit for a school); a curator comments on the roadmaps of the schools
        assigned to them; an expert fills in only the sheets assigned to them; methodists and
        regional staff read."""
        coordinated, administered = self.coordinated_ids(), self.administered_school_ids()
        match action:
            case Action.SEE_PROGRAMMES:
                if obj is None:
                    return bool(self.held() & {COORDINATOR, METHODIST, REGIONAL, CURATOR})
                curated = {a.school.municipality_id for a in self.assignments
                           if a.role == CURATOR and a.school is not None}
                return obj.pk in self.municipal_ids() or obj.region_id in self.regional_ids() \
                    or obj.pk in curated
            case Action.EDIT_RISK_PROFILE | Action.EDIT_PROGRAMME:
                if obj is None:
                    return bool(administered or coordinated)
                return obj.pk in administered or obj.municipality_id in coordinated
            case Action.MANAGE_PROGRAMMES:
                return bool(coordinated) if obj is None else obj.pk in coordinated
            case Action.COMMENT_ROADMAP:
                return obj.pk in self.curated_ids() or obj.municipality_id in self.municipal_ids()
            case Action.REVIEW:
                return obj.reviewer_id == self.user.pk and obj.withdrawn_at is None
        return False  # pragma: no cover

    def _may_monitoring(self, action: Action, obj: Any) -> bool:
        """Indicators (issue 16): everyone with a role sees the indicators of what they see —
        a school's of their school or curated schools, a municipality's of their municipality or
        region; the school administrator and the coordinator type the typed ones; the
        effectiveness analysis is the municipality's coordinator's, methodists' and region's."""
        held = self.held()
        match action:
            case Action.SEE_MONITORING:
                if obj is None:
                    return bool(held)
                if isinstance(obj, School):
                    return self.may_see_school(obj)
                return obj.pk in self.municipal_ids() or obj.region_id in self.regional_ids()
            case Action.TYPE_INDICATOR:
                administered, coordinated = self.administered_school_ids(), self.coordinated_ids()
                if obj is None:
                    return bool(administered or coordinated)
                return obj.pk in administered or obj.municipality_id in coordinated
            case Action.SEE_EFFECTIVENESS:
                if obj is None:
                    return bool(held & {COORDINATOR, METHODIST, REGIONAL})
                return obj.pk in self.municipal_ids() or obj.region_id in self.regional_ids()
        return False  # pragma: no cover

    def require(self, action: Action, obj: Any = None, message: str = "") -> None:
        """:meth:`may`, or 403 with ``message`` (Russian)."""
        if not self.may(action, obj):
            raise PermissionDenied(message or "Недостаточно прав для этого действия.")

    def may_grant(self, *, role: str, municipality_id: int | None = None,
                  school: School | None = None) -> bool:
        """Whether the viewer may grant or revoke ``role`` over this scope: a coordinator the
        school roles of their schools and methodists of their municipality; a superuser any."""
        if self.superuser:
            return True
        if not self.active or role not in ROLES_A_COORDINATOR_GRANTS:
            return False
        territory = school.municipality_id if school is not None else municipality_id
        return territory is not None and territory in self.coordinated_ids()
