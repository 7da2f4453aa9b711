"""The database refuses impossible numbers with Russian messages, and edits are audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from personas import PersonaTestCase

from opora.web.accounts.models import COORDINATOR, RoleAssignment
from opora.web.assessment.models import Procedure, SchoolAggregate, Subject
from opora.web.assessment.services import catalog_ensure
from opora.web.context.models import ContextPassport
from opora.web.context.services import context_passport_update


class ConstraintTests(PersonaTestCase):
    def _passport(self, **shares: float) -> ContextPassport:
        return ContextPassport(school=self.a, year=2023, **shares)

    def test_a_share_of_120_percent_is_refused_with_a_russian_message(self) -> None:
        with pytest.raises(ValidationError) as refused:
            self._passport(share_ovz=120.0).full_clean()
        assert "Доля указывается в процентах от 0 до 100." in refused.value.messages

    def test_the_database_itself_refuses_a_share_of_120_percent(self) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            self._passport(share_low_income=120.0).save()

    def test_a_negative_share_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            self._passport(share_single_parent=-1.0).full_clean()

    def test_disjoint_family_groups_larger_than_all_families_are_refused(self) -> None:
        # both parents with a degree (70 %) and single-parent families (40 %) exclude each
        # other, so together they cannot make 110 % of families
        with pytest.raises(ValidationError) as refused:
            self._passport(share_parents_higher_ed=70.0, share_single_parent=40.0).full_clean()
        assert any("Часть больше целого" in m for m in refused.value.messages)

    def test_the_same_groups_at_exactly_100_percent_are_accepted(self) -> None:
        self._passport(share_parents_higher_ed=60.0, share_single_parent=40.0).full_clean()

    def _aggregate(self, **counts: int) -> SchoolAggregate:
        catalog_ensure()
        return SchoolAggregate(school=self.a, procedure=Procedure.objects.get(code="OGE"),
                               year=2024, grade=9, subject=Subject.objects.get(code="math"),
                               **counts)

    def test_more_marks_2_than_participants_is_refused(self) -> None:
        with pytest.raises(ValidationError) as refused:
            self._aggregate(participants=10, mark_2=11).full_clean()
        assert any("Часть больше целого" in m for m in refused.value.messages)

    def test_marks_adding_up_to_more_than_the_participants_are_refused(self) -> None:
        # 4 + 4 + 3 = 11 marks for 10 participants: each part fits, their sum does not
        with pytest.raises(ValidationError) as refused:
            self._aggregate(participants=10, mark_3=4, mark_4=4, mark_5=3).full_clean()
        assert any("в сумме больше" in m for m in refused.value.messages)

    def test_marks_adding_up_to_the_participants_are_accepted(self) -> None:
        self._aggregate(participants=10, mark_2=1, mark_3=4, mark_4=3, mark_5=2).full_clean()

    def test_a_coordinator_role_over_a_school_instead_of_a_municipality_is_refused(self) -> None:
        with pytest.raises(ValidationError) as refused:
            RoleAssignment(user=self.nobody, role=COORDINATOR, school=self.a).full_clean()
        assert any("координатору и методисту — муниципалитет" in m
                   for m in refused.value.messages)


class AuditTests(PersonaTestCase):
    def test_editing_a_context_passport_records_who_when_and_what(self) -> None:
        passport = ContextPassport.objects.create(school=self.a, year=2023, share_ovz=2.5)
        context_passport_update(passport=passport, user=self.school_admin, share_ovz=4.0)
        latest, previous = passport.history.order_by("-history_id")[:2]
        assert latest.history_user == self.school_admin
        assert latest.history_date is not None and latest.history_type == "~"
        [change] = latest.diff_against(previous).changes
        assert (change.field, change.old, change.new) == ("share_ovz", 2.5, 4.0)

    def test_a_refused_edit_leaves_the_passport_and_its_history_unchanged(self) -> None:
        passport = ContextPassport.objects.create(school=self.a, year=2023, share_ovz=2.5)
        with pytest.raises(ValidationError):
            context_passport_update(passport=passport, user=self.school_admin, share_ovz=150.0)
        passport.refresh_from_db()
        assert passport.share_ovz == 2.5
        assert passport.history.count() == 1

    def test_role_assignments_keep_their_history(self) -> None:
        assignment = RoleAssignment.objects.get(user=self.school_admin)
        assert assignment.history.count() == 1
        pk = assignment.pk
        assignment.delete()
        assert RoleAssignment.history.filter(id=pk, history_type="-").count() == 1
