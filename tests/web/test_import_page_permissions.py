"""Who may use the import pages: every page and action × every role × own / other territory.

Decision (src/opora/web/imports/targets.py): coordinators load anything for their municipality
and resolve unknown schools; a school administrator loads their own school's files and sees
those uploads; methodists, curators, regional staff and users with no role get 403; an upload of
another municipality or school is 404 (its existence is not disclosed).
"""

from __future__ import annotations

from personas import PersonaTestCase

from opora.web.accounts import models as roles
from opora.web.imports.models import UploadEntry, UploadJob

OK, REDIRECT, FORBIDDEN, HIDDEN = 200, 302, 403, 404
NO_UPLOAD_ROLE = ("methodist", "curator", "regional", "nobody")


class ImportPermissionTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.other_coordinator = cls._user("coordinator2", roles.COORDINATOR,
                                          municipality=cls.second)
        cls.jobs = {
            "municipality": cls._job(school=None),
            "school_a": cls._job(school=cls.a),
            "school_b": cls._job(school=cls.b),
        }

    @classmethod
    def _job(cls, school: object) -> UploadJob:
        job = UploadJob.objects.create(created_by=cls.coordinator, municipality=cls.first,
                                       school=school)
        UploadEntry.objects.create(job=job, position=1, original_name="f.csv",
                                   file=f"uploads/{job.pk}/1/f.csv", status=UploadEntry.FAILED,
                                   unmatched=[{"key": "x", "name": "СОШ № 9", "municipality": "",
                                               "source": "", "suggestion": ""}])
        return job

    def _status(self, who: str, method: str, url: str) -> int:
        self.client.logout()
        if who != "anonymous":
            self.client.force_login(getattr(self, who))
        response = self.client.get(url) if method == "get" else self.client.post(url, {})
        return response.status_code

    def _check(self, method: str, url: str, expected: dict[str, int]) -> None:
        for who, status in expected.items():
            with self.subTest(who=who, url=url):
                self.assertEqual(self._status(who, method, url), status)

    def _urls(self, job: str) -> dict[str, tuple[str, str]]:
        pk = self.jobs[job].pk
        entry = self.jobs[job].entries.get().pk
        return {"job": ("get", f"/imports/{pk}/"), "progress": ("get", f"/imports/{pk}/progress/"),
                "problems": ("get", f"/imports/{pk}/files/{entry}/problems.xlsx"),
                "match": ("post", f"/imports/{pk}/files/{entry}/match/"),
                "create": ("post", f"/imports/{pk}/files/{entry}/create-schools/")}

    def test_the_upload_page_and_the_history_are_for_coordinators_and_school_admins(self) -> None:
        expected = {"coordinator": OK, "other_coordinator": OK, "school_admin": OK, "admin": OK,
                    **dict.fromkeys(NO_UPLOAD_ROLE, FORBIDDEN), "anonymous": REDIRECT}
        self._check("get", "/imports/", expected)
        self._check("get", "/imports/history/", expected)

    def test_a_municipality_upload_is_seen_by_its_coordinator_only(self) -> None:
        for method, url in self._urls("municipality").values():
            resolved = REDIRECT if method == "post" else OK
            self._check(method, url, {
                "coordinator": resolved, "admin": resolved, "other_coordinator": HIDDEN,
                "school_admin": HIDDEN, **dict.fromkeys(NO_UPLOAD_ROLE, FORBIDDEN),
                "anonymous": REDIRECT})

    def test_a_school_admin_sees_their_schools_upload_but_may_not_resolve_schools(self) -> None:
        for method, url in self._urls("school_a").values():
            viewing = method == "get"
            self._check(method, url, {
                "school_admin": OK if viewing else FORBIDDEN,
                "coordinator": OK if viewing else REDIRECT,
                "other_coordinator": HIDDEN, **dict.fromkeys(NO_UPLOAD_ROLE, FORBIDDEN)})

    def test_a_school_admin_cannot_reach_another_schools_upload_by_its_address(self) -> None:
        for method, url in self._urls("school_b").values():
            self._check(method, url, {"school_admin": HIDDEN,
                                      "coordinator": OK if method == "get" else REDIRECT})

    def test_the_history_lists_only_the_uploads_of_the_users_scope(self) -> None:
        def listed(user: object) -> set[int]:
            self.client.force_login(user)  # type: ignore[arg-type]
            return {job.pk for job in self.client.get("/imports/history/").context["jobs"]}

        every = {job.pk for job in self.jobs.values()}
        self.assertEqual(listed(self.coordinator), every)
        self.assertEqual(listed(self.school_admin), {self.jobs["school_a"].pk})
        self.assertEqual(listed(self.other_coordinator), set())

    def test_a_school_admin_can_only_choose_their_own_school_as_the_target(self) -> None:
        self.client.force_login(self.school_admin)
        form = self.client.get("/imports/").context["form"]
        self.assertEqual([value for value, _ in form.fields["target"].choices], [f"s{self.a.pk}"])

    def test_actions_that_change_data_refuse_get(self) -> None:
        urls = self._urls("municipality")
        for action in ("match", "create"):
            self.assertEqual(self._status("coordinator", "get", urls[action][1]), 405)

    def test_posting_without_the_csrf_token_is_refused(self) -> None:
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.coordinator)
        url = self._urls("municipality")["create"][1]
        self.assertEqual(client.post(url, {"confirm": "yes"}).status_code, 403)
        self.assertEqual(self.jobs["municipality"].entries.get().status, UploadEntry.FAILED)
