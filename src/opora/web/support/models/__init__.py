"""The support app's records: assignments, events, the event log's imports, calendar feeds."""

from opora.web.support.models.assignments import (
    Community,
    CommunityMember,
    Curatorship,
    Mentorship,
    NetworkPair,
)
from opora.web.support.models.events import (
    EventAttachment,
    EventParticipant,
    EventSchool,
    FollowUpTask,
    SupportEvent,
)
from opora.web.support.models.records import CalendarFeed, EventImport

__all__ = ["CalendarFeed", "Community", "CommunityMember", "Curatorship", "EventAttachment",
           "EventImport", "EventParticipant", "EventSchool", "FollowUpTask", "Mentorship",
           "NetworkPair", "SupportEvent"]
