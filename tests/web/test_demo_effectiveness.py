"""The demo of three years (``opora demo``'s default): an earlier official list whose schools the
generator gave a support effect, the current list still the latest, and the effectiveness page
finding the injected effect within its 95 % interval (issue 16)."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.test import TestCase, override_settings

from opora.web.demo import (
    DEMO_BASIS,
    DEMO_EARLIER_BASIS,
    DEMO_PASSWORD,
    demo_tables,
    prepare_demo,
)
from opora.web.schools.models import Municipality

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
YEARS, SEED = 3, 1


@pytest.mark.slow  # prepares the three-year demo twice over (≈ 60–150 s)
@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class DemoEffectivenessTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        prepare_demo(years=YEARS, seed=SEED)
        truth = demo_tables(years=YEARS, seed=SEED)["truth"].to_pylist()
        cls.injected = [r for r in truth if r["property"] == "support_effect"]
        cls.town = (Municipality.objects.annotate(n=Count("schools")).order_by("-n", "name")
                    .first())

    def test_the_generator_injected_one_effect_in_the_year_two_before_the_last(self) -> None:
        from opora.demo.instruments import LAST_YEAR

        assert len(self.injected) >= 5  # enough entered schools for an estimate
        assert {r["year"] for r in self.injected} == {LAST_YEAR - 2}
        assert len({r["strength"] for r in self.injected}) == 1

    def test_the_demo_has_the_earlier_list_and_the_current_one_is_the_latest(self) -> None:
        from opora.demo.instruments import LAST_YEAR
        from opora.web.analysis.models import ApprovedList
        from opora.web.analysis.official import current_lists, official_list

        lists = list(ApprovedList.objects.order_by("year"))
        assert [(a.year, a.basis, a.approved_by.username) for a in lists] == [
            (LAST_YEAR - 2, DEMO_EARLIER_BASIS, "demo-coordinator"),
            (LAST_YEAR, DEMO_BASIS, "demo-coordinator")]
        earlier, current = lists
        assert earlier.run.run_json["years_analysed"][-1] == LAST_YEAR - 2
        assert current.year == max(current.run.run_json["years_analysed"])
        assert official_list(self.town) == current
        assert current_lists(self.town) == [earlier, current]

    def test_the_earlier_list_holds_exactly_the_schools_given_the_effect(self) -> None:
        from opora.web.analysis.models import CATEGORY_RISK, ApprovedList, Inclusion

        earlier = ApprovedList.objects.order_by("year").first()
        entered = set(Inclusion.objects.filter(approved_list=earlier)
                      .exclude(category=CATEGORY_RISK).values_list("school__key", flat=True))
        assert entered == {r["school_key"] for r in self.injected}

    def test_the_effect_over_all_works_has_the_injected_value_within_its_interval(self) -> None:
        from opora.web.monitoring.effect import analyse

        [row] = [r for r in analyse(self.town).rows
                 if r.effect.procedure == "*" and r.effect.entry_year == self.injected[0]["year"]]
        e, injected = row.effect, self.injected[0]["strength"]
        assert e.treated == len(self.injected)
        assert e.low is not None and e.high is not None
        assert e.low <= injected <= e.high
        assert e.detected  # the interval lies above zero: the page says the effect is there

    def test_the_page_shows_the_effect_with_its_interval(self) -> None:
        from opora.numbers import number
        from opora.web.monitoring.effect import analyse

        [row] = [r for r in analyse(self.town).rows
                 if r.effect.procedure == "*" and r.effect.entry_year == self.injected[0]["year"]]
        assert self.client.login(username="demo-coordinator", password=DEMO_PASSWORD)
        page = self.client.get("/monitoring/effectiveness/").content.decode()
        year = self.injected[0]["year"]
        assert f"Динамика: вошедшие в систему в {year} году" in page
        assert (f"{number(row.effect.low, 1)} … {number(row.effect.high, 1)}") in page
        assert (f"сильнее похожих школ, не входивших в систему, на {number(row.effect.effect, 1)}"
                f" п. п. (95 % интервал: от {number(row.effect.low, 1)} до "
                f"{number(row.effect.high, 1)} п. п.)") in page
