"""The card reads its school, municipality, region and versions in one query (card/parts.py).

That query restates in SQL what the ORM reads and what :func:`card_versions` asks with the
school's own municipality and region as parameters; here the two are compared in every state
the versions can be in: no run, a region-wide run, a newer municipal one, a region-wide list,
the municipality's own list before it, a withdrawn list, an import — for schools of both
municipalities of the region and one of another region.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from personas import PersonaTestCase

from opora.web.analysis.models import DONE, AnalysisRun
from opora.web.analysis.official import run_approve
from opora.web.card.parts import card_school, card_versions
from opora.web.schools.models import School


def _run(municipality: object, region: object) -> AnalysisRun:
    return AnalysisRun.objects.create(
        scope="municipality" if municipality else "region", municipality=municipality,
        region=region, status=DONE, progress=100, finished_at=timezone.now(),
        run_json={"years_analysed": [2024]})


class CardSchoolReadTests(PersonaTestCase):
    def _agree(self, state: str) -> None:
        for school in (self.a, self.b, self.c, self.d):
            read = card_school(user=self.admin, pk=school.pk)
            orm = School.objects.select_related("municipality__region").get(pk=school.pk)
            with self.subTest(state=state, school=school.key):
                self.assertEqual(read.versions, card_versions(orm))
                self.assertEqual([getattr(read, f.attname) for f in School._meta.concrete_fields],
                                 [getattr(orm, f.attname) for f in School._meta.concrete_fields])
                self.assertEqual((read.municipality.name, read.municipality.region.name),
                                 (orm.municipality.name, orm.municipality.region.name))

    def test_the_one_query_reads_what_the_orm_and_the_versions_query_read(self) -> None:
        north = self.first.region
        self._agree("nothing yet")
        regional = _run(None, north)
        self._agree("a region-wide run")
        own = _run(self.first, north)
        self._agree("a newer run of the first municipality")
        regional_list = run_approve(user=self.regional, run=regional, year=2024, basis="приказ")
        self._agree("a region-wide list")
        own_list = run_approve(user=self.coordinator, run=own, year=2024, basis="приказ")
        self._agree("the first municipality's own list")
        own_list.withdrawn_at = timezone.now()
        own_list.save()
        self._agree("its own list withdrawn")
        self.assertEqual(card_school(user=self.admin, pk=self.a.pk).versions.official_pk,
                         regional_list.pk)  # and the region's list is the official one again
        self.assertEqual(card_school(user=self.admin, pk=self.d.pk).versions.run_pk, None)

    def test_a_school_out_of_scope_or_missing_is_not_found_alike(self) -> None:
        with self.assertRaises(Http404):
            card_school(user=self.coordinator, pk=self.c.pk)  # «Второй» is not hers
        with self.assertRaises(Http404):
            card_school(user=self.coordinator, pk=10**9)
        self.assertEqual(card_school(user=self.coordinator, pk=self.b.pk).pk, self.b.pk)
