"""The coordinator's own expert sheet (issue 15): created from scratch or as a copy of the default,
edited (title, criteria in order, scales, descriptors per score or range), refused with a Russian
message at its field when the input is bad — nothing half-saved; a sheet experts have scored by
does not change under their sheets and is not deleted; only the municipality's coordinator makes
or changes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from programmes_data import ProgrammesTestCase

from opora.web.accounts import models as roles
from opora.web.programmes.models import (
    ReviewAssignment,
    ReviewCampaign,
    Rubric,
    RubricCriterion,
)
from opora.web.programmes.rubric_forms import format_descriptors, parse_descriptors
from opora.web.programmes.services.reviews import (
    default_rubric,
    review_campaign_create,
    sheet_save,
)
from opora.web.programmes.services.rubrics import (
    CriterionData,
    criteria_of,
    rubric_create,
    rubric_delete,
    rubric_update,
)

NEW = "/programmes/reviews/rubrics/new/"


def criterion(title: str, low: int = 0, high: int = 2, **more: Any) -> CriterionData:
    return CriterionData(title=title, min_score=low, max_score=high, **more)


def post_data(title: str, rows: list[dict[str, Any]], *, initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {"title": title, "criteria-TOTAL_FORMS": str(len(rows)),
                            "criteria-INITIAL_FORMS": str(initial)}
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"criteria-{n}-{key}"] = value
    return data


def row(title: str, low: str = "0", high: str = "2", order: str = "", **more: str
        ) -> dict[str, str]:
    return {"title": title, "min_score": low, "max_score": high, "ORDER": order, **more}


class RubricTestCase(ProgrammesTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.coordinator_2 = cls._user("coordinator2", roles.COORDINATOR, municipality=cls.second)
        cls.rubric = rubric_create(by=cls.coordinator, municipality=cls.first,
                                   title="Лист дорожной карты", criteria=[
                                       criterion("Проблемы", descriptors={"0": "нет",
                                                                          "2": "есть"}),
                                       criterion("Показатели", 0, 4)])

    def _refused(self, title: str, rows: list[dict[str, Any]]) -> str:
        """POST a new sheet; it must be refused (400) and nothing saved."""
        before = (Rubric.objects.count(), RubricCriterion.objects.count())
        self.client.force_login(self.coordinator)
        response = self.client.post(NEW, post_data(title, rows))
        self.assertEqual(response.status_code, 400)
        self.assertEqual((Rubric.objects.count(), RubricCriterion.objects.count()), before)
        return response.content.decode()


def at_field(page: str, name: str) -> str:
    """The text of the form field ``name`` (``title``, ``criteria-0-max_score`` …) on ``page``."""
    start = page.index(f'id="field-{name}"')
    return page[start:page.index("</div>", start)]


class CreateAndEditTests(RubricTestCase):
    def test_the_list_shows_the_default_sheet_and_the_municipalitys_own(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get("/programmes/reviews/rubrics/").content.decode()
        self.assertIn(default_rubric().title, page)
        self.assertIn("Лист дорожной карты", page)
        self.assertIn("Создать лист", page)
        reviews = self.client.get("/programmes/reviews/").content.decode()
        self.assertIn('href="/programmes/reviews/rubrics/"', reviews)

    def test_a_coordinator_creates_a_sheet_with_criteria_in_the_order_typed(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(NEW, post_data("Лист программы развития", [
            row("Цели", "0", "3", "2", description="цели по каждой проблеме",
                descriptors="0: нет\n1–2: частично\n3: полностью"),
            row("Анализ", "1", "5", "1")]))
        rubric = Rubric.objects.get(title="Лист программы развития")
        self.assertRedirects(response, f"/programmes/reviews/rubrics/{rubric.pk}/")
        self.assertEqual(rubric.municipality, self.first)
        self.assertEqual([(c.code, c.title, c.min_score, c.max_score)
                          for c in rubric.criteria.all()],
                         [("а", "Анализ", 1, 5), ("б", "Цели", 0, 3)])
        self.assertEqual(rubric.criteria.get(title="Цели").descriptors,
                         {"0": "нет", "1": "частично", "2": "частично", "3": "полностью"})

    def test_a_copy_of_the_default_sheet_starts_with_its_five_criteria(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get(NEW, {"from": default_rubric().pk}).content.decode()
        self.assertIn("(копия)", page)
        self.assertIn('name="criteria-TOTAL_FORMS" value="6"', page)  # five and a blank row
        self.assertIn("1–2", format_descriptors({"1": "x", "2": "x"}))
        copy = rubric_create(by=self.coordinator, municipality=self.first, title="Копия",
                             criteria=criteria_of(default_rubric()))
        self.assertEqual(copy.criteria.count(), 5)
        self.assertEqual(default_rubric().criteria.count(), 5)  # the default is untouched

    def test_editing_renames_reorders_adds_and_removes_criteria(self) -> None:
        first, second = self.rubric.criteria.all()
        self.client.force_login(self.coordinator)
        url = f"/programmes/reviews/rubrics/{self.rubric.pk}/edit/"
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, post_data("Лист дорожной карты 2027", [
            row("Проблемы", order="3", pk=str(first.pk), DELETE="on"),
            row("Показатели и цели", "0", "4", "2", pk=str(second.pk)),
            row("Мероприятия", "0", "3", "1")], initial=2))
        self.assertRedirects(response, f"/programmes/reviews/rubrics/{self.rubric.pk}/")
        self.rubric.refresh_from_db()
        self.assertEqual(self.rubric.title, "Лист дорожной карты 2027")
        self.assertEqual([(c.code, c.title) for c in self.rubric.criteria.all()],
                         [("а", "Мероприятия"), ("б", "Показатели и цели")])
        self.assertFalse(RubricCriterion.objects.filter(pk=first.pk).exists())
        self.assertEqual(self.rubric.criteria.get(title="Показатели и цели").pk, second.pk)

    def test_the_add_button_shows_one_more_blank_criterion_and_saves_nothing(self) -> None:
        self.client.force_login(self.coordinator)
        data = post_data("Новый", [row("Цели")])
        data["add"] = "1"
        response = self.client.post(NEW, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="criteria-TOTAL_FORMS" value="2"', response.content.decode())
        self.assertFalse(Rubric.objects.filter(title="Новый").exists())

    def test_a_campaign_is_opened_with_the_coordinators_own_sheet(self) -> None:
        campaign = review_campaign_create(by=self.coordinator, municipality=self.first,
                                          title="Экспертиза 2027", deadline=dt.date(2027, 1, 20),
                                          rubric=self.rubric)
        self.assertEqual(campaign.rubric, self.rubric)


class BadInputTests(RubricTestCase):
    def test_an_empty_title_is_refused_at_the_title(self) -> None:
        page = self._refused("  ", [row("Цели")])
        self.assertIn("Укажите название экспертного листа.", at_field(page, "title"))

    def test_a_maximum_below_the_minimum_is_refused_at_the_criterion(self) -> None:
        page = self._refused("Лист", [row("Цели", "3", "1")])
        self.assertIn("Наибольший балл должен быть больше наименьшего.",
                      at_field(page, "criteria-0-max_score"))

    def test_a_scale_wider_than_zero_to_ten_is_refused(self) -> None:
        page = self._refused("Лист", [row("Цели", "0", "12")])
        self.assertIn("Шкала — в пределах от 0 до 10 баллов.",
                      at_field(page, "criteria-0-max_score"))
        page = self._refused("Лист", [row("Цели", "-1", "3")])
        self.assertIn("Шкала — в пределах от 0 до 10 баллов.",
                      at_field(page, "criteria-0-min_score"))

    def test_two_criteria_with_the_same_title_are_refused_at_the_second(self) -> None:
        page = self._refused("Лист", [row("Цели"), row(" цели ")])
        self.assertIn("Критерий «цели» уже есть в листе (№ 1).",
                      at_field(page, "criteria-1-title"))
        self.assertNotIn("уже есть", at_field(page, "criteria-0-title"))

    def test_a_sheet_without_criteria_is_refused(self) -> None:
        self.assertIn("Добавьте хотя бы один критерий.", self._refused("Лист", []))
        with self.assertRaises(ValidationError):
            rubric_update(by=self.coordinator, rubric=self.rubric, title="Лист", criteria=[])
        self.assertEqual(self.rubric.criteria.count(), 2)

    def test_a_descriptor_outside_the_scale_or_unreadable_is_refused(self) -> None:
        page = self._refused("Лист", [row("Цели", descriptors="5: отлично")])
        self.assertIn("Описаны баллы вне шкалы 0–2: 5.", at_field(page, "criteria-0-descriptors"))
        page = self._refused("Лист", [row("Цели", descriptors="отлично")])
        self.assertIn("пишите «балл: описание»", page)
        self.assertEqual(parse_descriptors("0: нет\n1-2: да"), {"0": "нет", "1": "да", "2": "да"})

    def test_a_bad_edit_leaves_the_sheet_as_it_was(self) -> None:
        before = [(c.pk, c.title, c.max_score) for c in self.rubric.criteria.all()]
        first, second = self.rubric.criteria.all()
        self.client.force_login(self.coordinator)
        response = self.client.post(
            f"/programmes/reviews/rubrics/{self.rubric.pk}/edit/",
            post_data("Другое название", [row("Проблемы", "0", "9", pk=str(first.pk)),
                                          row("Проблемы", pk=str(second.pk))], initial=2))
        self.assertEqual(response.status_code, 400)
        self.rubric.refresh_from_db()
        self.assertEqual(self.rubric.title, "Лист дорожной карты")
        self.assertEqual([(c.pk, c.title, c.max_score) for c in self.rubric.criteria.all()],
                         before)


class UsedRubricTests(RubricTestCase):
    def setUp(self) -> None:
        self.campaign = ReviewCampaign.objects.get(pk=self.review.pk)
        self.campaign.rubric = self.rubric
        self.campaign.save()

    def _score(self) -> None:
        first = self.rubric.criteria.first()
        assert first is not None
        sheet_save(by=self.curator, assignment=ReviewAssignment.objects.get(pk=self.assignment.pk),
                   scores={first.pk: 1}, comments={})  # a draft: one criterion scored

    def test_a_sheet_scored_by_experts_is_not_edited_and_the_campaign_is_named(self) -> None:
        self._score()
        with self.assertRaises(ValidationError) as caught:
            rubric_update(by=self.coordinator, rubric=self.rubric, title="Новое",
                          criteria=[criterion("Другое")])
        self.assertIn("«Экспертиза дорожных карт 2026»", caught.exception.messages[0])
        self.assertEqual([c.title for c in self.rubric.criteria.all()],
                         ["Проблемы", "Показатели"])
        self.client.force_login(self.coordinator)
        response = self.client.get(f"/programmes/reviews/rubrics/{self.rubric.pk}/edit/",
                                   follow=True)
        self.assertIn("Лист уже используется в экспертизе «Экспертиза дорожных карт 2026»",
                      response.content.decode())

    def test_a_used_sheet_without_scores_yet_may_still_be_edited(self) -> None:
        rubric_update(by=self.coordinator, rubric=self.rubric, title="Лист",
                      criteria=[*criteria_of(self.rubric), criterion("Мероприятия")])
        self.assertEqual(self.rubric.criteria.count(), 3)

    def test_a_sheet_a_campaign_uses_is_not_deleted(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            rubric_delete(by=self.coordinator, rubric=self.rubric)
        self.assertIn("используется в экспертизе «Экспертиза дорожных карт 2026»",
                      caught.exception.messages[0])
        self.client.force_login(self.coordinator)
        response = self.client.post(f"/programmes/reviews/rubrics/{self.rubric.pk}/delete/")
        self.assertRedirects(response, f"/programmes/reviews/rubrics/{self.rubric.pk}/")
        self.assertTrue(Rubric.objects.filter(pk=self.rubric.pk).exists())

    def test_an_unused_sheet_is_deleted(self) -> None:
        spare = rubric_create(by=self.coordinator, municipality=self.first, title="Лишний",
                              criteria=[criterion("Цели")])
        rubric_delete(by=self.coordinator, rubric=spare)
        self.assertFalse(Rubric.objects.filter(pk=spare.pk).exists())

    def test_the_default_sheet_is_neither_edited_nor_deleted(self) -> None:
        with self.assertRaises(ValidationError):
            rubric_update(by=self.coordinator, rubric=default_rubric(), title="Мой",
                          criteria=[criterion("Цели")])
        with self.assertRaises(ValidationError):
            rubric_delete(by=self.coordinator, rubric=default_rubric())
        self.assertEqual(default_rubric().criteria.count(), 5)


class ScopeTests(RubricTestCase):
    def test_a_coordinator_of_another_municipality_neither_sees_nor_changes_the_sheet(
            self) -> None:
        with self.assertRaises(PermissionDenied):
            rubric_update(by=self.coordinator_2, rubric=self.rubric, title="Чужой",
                          criteria=[criterion("Цели")])
        with self.assertRaises(PermissionDenied):
            rubric_delete(by=self.coordinator_2, rubric=self.rubric)
        with self.assertRaises(PermissionDenied):
            rubric_create(by=self.coordinator_2, municipality=self.first, title="Чужой",
                          criteria=[criterion("Цели")])
        self.client.force_login(self.coordinator_2)
        for url in (f"/programmes/reviews/rubrics/{self.rubric.pk}/",
                    f"/programmes/reviews/rubrics/{self.rubric.pk}/edit/"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertNotIn("Лист дорожной карты",
                         self.client.get("/programmes/reviews/rubrics/").content.decode())
        response = self.client.post(NEW, {**post_data("Чужой", [row("Цели")]),
                                          "municipality": str(self.first.pk)})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Rubric.objects.filter(title="Чужой").exists())

    def test_a_school_administrator_and_a_curator_are_refused(self) -> None:
        for user in (self.school_admin, self.curator):
            with self.subTest(user=user), self.assertRaises(PermissionDenied):
                rubric_create(by=user, municipality=self.first, title="Лист",
                              criteria=[criterion("Цели")])
            with self.subTest(user=user), self.assertRaises(PermissionDenied):
                rubric_update(by=user, rubric=self.rubric, title="Лист",
                              criteria=[criterion("Цели")])
            self.client.force_login(user)
            self.assertEqual(self.client.post(NEW, post_data("Лист", [row("Цели")]))
                             .status_code, 403)
            self.assertIn(self.client.post(f"/programmes/reviews/rubrics/{self.rubric.pk}/edit/",
                                           post_data("Лист", [row("Цели")])).status_code,
                          (403, 404))
        self.assertFalse(Rubric.objects.filter(title="Лист").exists())
        self.assertEqual(self.rubric.title, "Лист дорожной карты")


class RubricApiTests(RubricTestCase):
    def test_the_api_lists_the_sheets_with_their_criteria_in_the_viewers_scope(self) -> None:
        from opora.web.api.tokens import token_create

        def listed(user: Any) -> list[dict[str, Any]]:
            token = token_create(user=user, name="тест")[1]
            response = self.client.get("/api/v1/programmes/rubrics",
                                       HTTP_AUTHORIZATION=f"Bearer {token}")
            self.assertEqual(response.status_code, 200)
            return response.json()["items"]

        mine = listed(self.coordinator)
        self.assertEqual({r["title"] for r in mine}, {default_rubric().title,
                                                      "Лист дорожной карты"})
        own = next(r for r in mine if r["title"] == "Лист дорожной карты")
        self.assertEqual([(c["code"], c["title"], c["min_score"], c["max_score"])
                          for c in own["criteria"]], [("а", "Проблемы", 0, 2),
                                                      ("б", "Показатели", 0, 4)])
        self.assertEqual(own["criteria"][0]["descriptors"], {"0": "нет", "2": "есть"})
        self.assertEqual([r["title"] for r in listed(self.coordinator_2)],
                         [default_rubric().title])
