"""Expert review (issue 15): the default sheet follows seed 003's criteria а–д; a reviewer is
never assigned to their own school; a score outside the scale is refused at its place; two
experts two points apart on a criterion are flagged; «на доработку» returns the roadmap, the
resubmission is the next round with the same experts, «принять» approves a version; the filled
sheet exports to XLSX."""

from __future__ import annotations

import io

import openpyxl
from django.core.exceptions import ValidationError
from programmes_data import ProgrammesTestCase

from opora.web.programmes.models import ReviewItem
from opora.web.programmes.selectors.reviews import item_results
from opora.web.programmes.services.reviews import (
    decide,
    default_rubric,
    reviewer_assign,
    sheet_save,
)
from opora.web.programmes.services.roadmaps import roadmap_submit


class ReviewTests(ProgrammesTestCase):
    def setUp(self) -> None:
        self.criteria = list(self.item.campaign.rubric.criteria.all())

    def _fill(self, user: object, assignment: object, values: list[int]) -> None:
        sheet_save(by=user, assignment=assignment,
                   scores={c.pk: v for c, v in zip(self.criteria, values, strict=True)},
                   comments={self.criteria[0].pk: "Цель сформулирована расплывчато"},
                   overall="Доработать", submit=True)

    def test_the_default_sheet_has_seed_003s_five_criteria_on_a_zero_to_three_scale(
            self) -> None:
        rubric = default_rubric()
        self.assertEqual([(c.code, c.min_score, c.max_score) for c in rubric.criteria.all()],
                         [("а", 0, 3), ("б", 0, 3), ("в", 0, 3), ("г", 0, 3), ("д", 0, 3)])
        self.assertIn("показател", rubric.criteria.get(code="б").title.lower())
        self.assertIn("мероприят", rubric.criteria.get(code="г").title.lower())

    def test_the_school_administrator_is_not_assigned_to_review_their_own_school(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            reviewer_assign(by=self.coordinator, item=self.item, reviewer=self.school_admin)
        self.assertIn("эксперт не оценивает свою школу",
                      caught.exception.message_dict["reviewer"][0])
        self.assertEqual(self.item.assignments.count(), 1)

    def test_a_score_outside_the_scale_is_refused_at_its_criterion_and_nothing_is_saved(
            self) -> None:
        self.client.force_login(self.curator)
        data = {f"score_{c.pk}": "2" for c in self.criteria}
        data[f"score_{self.criteria[1].pk}"] = "7"
        data["submit"] = "1"
        response = self.client.post(f"/programmes/reviews/sheets/{self.assignment.pk}/", data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Балл 7 вне шкалы критерия «б»: от 0 до 3.", response.content.decode())
        self.assertEqual(self.assignment.scores.count(), 0)
        self.assignment.refresh_from_db()
        self.assertIsNone(self.assignment.submitted_at)

    def test_two_experts_two_points_apart_are_flagged_and_the_means_summed(self) -> None:
        second = reviewer_assign(by=self.coordinator, item=self.item, reviewer=self.methodist)
        self._fill(self.curator, self.assignment, [1, 2, 3, 2, 0])
        self._fill(self.methodist, second, [3, 2, 2, 2, 1])
        results = item_results(ReviewItem.objects.get(pk=self.item.pk), self.criteria)
        self.assertEqual([c.mean for c in results.criteria], [2.0, 2.0, 2.5, 2.0, 0.5])
        self.assertEqual([c.criterion.code for c in results.disagreements], ["а"])
        self.assertEqual(results.total, 9.0)  # 2 + 2 + 2,5 + 2 + 0,5
        self.assertEqual(results.maximum, 15)
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/programmes/reviews/items/{self.item.pk}/").content.decode()
        self.assertIn("Расхождение экспертов на 2 балла и больше по критериям: а)", page)

    def test_returned_resubmitted_and_accepted_every_round_stays_in_history(self) -> None:
        self._fill(self.curator, self.assignment, [1, 1, 1, 1, 1])
        with self.assertRaises(ValidationError):  # «на доработку» needs a word to the school
            decide(by=self.coordinator, item=self.item, decision="revise", comment=" ")
        decide(by=self.coordinator, item=self.item, decision="revise",
               comment="Добавьте показатели по годам")
        self.roadmap.refresh_from_db()
        self.assertEqual(self.roadmap.status, "needs_revision")
        self.client.force_login(self.school_admin)
        page = self.client.get(f"/programmes/reviews/items/{self.item.pk}/").content.decode()
        self.assertIn("Добавьте показатели по годам", page)
        self.assertIn("Цель сформулирована расплывчато", page)  # the expert's comment
        roadmap_submit(by=self.school_admin, roadmap=self.roadmap)
        second = ReviewItem.objects.get(roadmap=self.roadmap, round=2)
        self.assertEqual([a.reviewer for a in second.assignments.all()], [self.curator])
        assignment = second.assignments.get()
        self._fill(self.curator, assignment, [3, 3, 3, 3, 3])
        decide(by=self.coordinator, item=second, decision="accept", comment="")
        self.roadmap.refresh_from_db()
        self.assertEqual(self.roadmap.status, "approved")
        self.assertEqual([v.number for v in self.roadmap.versions.all()], [1])
        self.assertEqual(list(ReviewItem.objects.filter(roadmap=self.roadmap)
                              .order_by("round").values_list("round", "decision")),
                         [(1, "revise"), (2, "accept")])

    def test_the_filled_sheet_exports_to_xlsx_with_each_criterion_and_score(self) -> None:
        self._fill(self.curator, self.assignment, [3, 2, 1, 0, 2])
        self.client.force_login(self.curator)
        response = self.client.get(f"/programmes/reviews/sheets/{self.assignment.pk}/export.xlsx")
        self.assertEqual(response.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                 for c in row if c is not None]
        for criterion, score in zip(self.criteria, [3, 2, 1, 0, 2], strict=True):
            self.assertTrue(any(isinstance(c, str) and criterion.title in c for c in cells),
                            criterion.title)
            self.assertIn(score, cells)
        self.assertIn("Цель сформулирована расплывчато", cells)


class ReviewApiTests(ProgrammesTestCase):
    def test_the_school_reads_the_scores_through_the_api_only_once_decided(self) -> None:
        criteria = list(self.item.campaign.rubric.criteria.all())
        sheet_save(by=self.curator, assignment=self.assignment,
                   scores={c.pk: 2 for c in criteria}, comments={}, submit=True)
        self.client.force_login(self.school_admin)
        before = self.client.get("/api/v1/programmes/reviews").json()["items"]
        self.assertEqual([(i["round"], i["sheets"], i["criteria"]) for i in before],
                         [(1, 1, [])])
        decide(by=self.coordinator, item=self.item, decision="accept", comment="")
        after = self.client.get("/api/v1/programmes/reviews").json()["items"][0]
        self.assertEqual([(c["code"], c["mean"]) for c in after["criteria"]],
                         [("а", 2.0), ("б", 2.0), ("в", 2.0), ("г", 2.0), ("д", 2.0)])
        self.assertEqual(after["decision_name"], "Принять")
