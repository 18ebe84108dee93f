"""Canonical fact tables of the lake.

Every fact Concord measures from lands in one of these tables, whatever system
it came from; source profiles map external exports onto them. Times are UTC
(``timestamp[us, tz=UTC]``); durations are seconds as float64 so that sub-second
telephony data survives. Each column carries its documentation in the field
metadata (``doc``) so the schema is the single place where a fact is defined.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

UTC_TS = pa.timestamp("us", tz="UTC")

CHANNELS = ("voice", "chat", "email", "messaging", "social", "back_office")
EXIT_REASONS = ("voluntary", "involuntary")


def _f(name: str, type_: pa.DataType, doc: str, *, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


@dataclass(frozen=True)
class FactTable:
    """A canonical table: its schema, its merge key and how it is partitioned."""

    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    partition_by: tuple[str, ...]
    #: column whose newer value wins when the same key arrives again
    version_column: str | None
    #: text columns with about one value per row (ids, free text): stored without a Parquet dictionary
    unique_text: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return self.schema.names

    def doc(self, column: str) -> str:
        return self.schema.field(column).metadata[b"doc"].decode()


INTERACTIONS = FactTable(
    name="interactions",
    schema=pa.schema(
        [
            _f("source", pa.string(), "System the record came from (e.g. zendesk, acd).", nullable=False),
            _f("external_id", pa.string(), "Id of the contact in its source system.", nullable=False),
            _f(
                "provider",
                pa.string(),
                "Code of the provider (partner or internal team) that handled it.",
                nullable=False,
            ),
            _f("site", pa.string(), "Code of the site that handled it."),
            _f("team", pa.string(), "Team code within the provider."),
            _f("agent", pa.string(), "Agent's external id in the source system."),
            _f("program", pa.string(), "Code of the program (line of business).", nullable=False),
            _f("contact_type", pa.string(), "Code of the contact type within the program."),
            _f("channel", pa.string(), "One of: " + ", ".join(CHANNELS) + ".", nullable=False),
            _f("language", pa.string(), "ISO 639-1 language of the contact."),
            _f("created_at", UTC_TS, "When the contact was offered or the ticket created (UTC).", nullable=False),
            _f("answered_at", UTC_TS, "When an agent answered or first responded (UTC); null if never."),
            _f("resolved_at", UTC_TS, "When the contact was resolved (UTC); null while open."),
            _f("wait_seconds", pa.float64(), "Seconds in queue before answer or abandon."),
            _f("talk_seconds", pa.float64(), "Seconds talking / actively working the contact."),
            _f("hold_seconds", pa.float64(), "Seconds on hold."),
            _f("wrap_seconds", pa.float64(), "Seconds of after-contact work."),
            _f("abandoned", pa.bool_(), "The customer left before being answered.", nullable=False),
            _f("transferred", pa.bool_(), "Transferred to another agent or queue.", nullable=False),
            _f("escalated", pa.bool_(), "Escalated to a higher tier.", nullable=False),
            _f("reopened", pa.bool_(), "Reopened after being resolved.", nullable=False),
            _f("resolved", pa.bool_(), "Resolved (at least once).", nullable=False),
            _f("customer_key", pa.string(), "Hashed customer identity, for repeat-contact analysis."),
            _f("csat", pa.int8(), "Survey CSAT 1-5 when answered."),
            _f("nps", pa.int8(), "Survey likelihood to recommend 0-10 when answered."),
            _f("transcript", pa.string(), "Optional transcript or body text."),
            _f("updated_at", UTC_TS, "Last modification in the source; the newer record wins.", nullable=False),
            _f("created_month", pa.string(), "Partition: YYYY-MM of created_at in UTC.", nullable=False),
            _f("ingest_run", pa.string(), "Id of the ingest run that wrote this version of the row."),
            # Added after the first lakes were written: they come last, where Delta's schema evolution puts
            # columns it adds to a stored table, so a fresh lake and an evolved one have the same layout.
            # Files written before read them as null (see ``write`` and ``metrics.backends``).
            _f("first_resolved_at", UTC_TS, "When the contact was first resolved (UTC); differs from resolved_at "
               "(the latest resolution) when it was reopened; null if never resolved or not given by the source."),
            _f("requester_wait_seconds", pa.float64(), "Seconds the customer waited on the support side (statuses "
               "new, open and on-hold) until the last resolution, calendar time, as the helpdesk measured it."),
        ]
    ),
    key=("source", "external_id"),
    partition_by=("created_month",),
    version_column="updated_at",
    unique_text=("external_id", "customer_key", "transcript"),
)

INTERVALS = FactTable(
    name="intervals",
    schema=pa.schema(
        [
            _f("source", pa.string(), "System the report came from.", nullable=False),
            _f("provider", pa.string(), "Provider code.", nullable=False),
            _f("site", pa.string(), "Site code."),
            _f("queue", pa.string(), "Queue / skill name in the ACD.", nullable=False),
            _f("program", pa.string(), "Program code.", nullable=False),
            _f("contact_type", pa.string(), "Contact type code."),
            _f("channel", pa.string(), "Channel, usually voice.", nullable=False),
            _f("interval_start", UTC_TS, "Start of the interval (UTC).", nullable=False),
            _f("interval_minutes", pa.int16(), "Length of the interval: 15 or 30 (60 allowed).", nullable=False),
            _f("offered", pa.int32(), "Contacts offered.", nullable=False),
            _f("answered", pa.int32(), "Contacts answered.", nullable=False),
            _f("abandoned", pa.int32(), "Contacts abandoned (after the short-abandon threshold).", nullable=False),
            _f("short_abandoned", pa.int32(), "Contacts abandoned within the short-abandon threshold."),
            _f("answered_within_threshold", pa.int32(), "Answered within the service-level threshold."),
            _f("threshold_seconds", pa.int32(), "The service-level threshold T the ACD counted against."),
            _f("wait_seconds", pa.float64(), "Total wait of answered contacts."),
            _f("handle_seconds", pa.float64(), "Total handle time (talk + hold + wrap)."),
            _f("available_seconds", pa.float64(), "Total agent time available and idle."),
            _f("staffed_agents", pa.float64(), "Average agents staffed in the interval."),
            _f("updated_at", UTC_TS, "When the report was produced; the newer wins.", nullable=False),
            _f("interval_month", pa.string(), "Partition: YYYY-MM of interval_start in UTC.", nullable=False),
            _f("ingest_run", pa.string(), "Id of the ingest run that wrote this row."),
        ]
    ),
    key=("source", "provider", "queue", "interval_start"),
    partition_by=("interval_month",),
    version_column="updated_at",
)

ROSTER = FactTable(
    name="roster",
    schema=pa.schema(
        [
            _f("source", pa.string(), "System the roster came from.", nullable=False),
            _f("snapshot_date", pa.date32(), "Date the roster snapshot describes.", nullable=False),
            _f("agent", pa.string(), "Agent's external id.", nullable=False),
            _f("provider", pa.string(), "Provider code.", nullable=False),
            _f("site", pa.string(), "Site code."),
            _f("team", pa.string(), "Team code."),
            _f("role", pa.string(), "Role, e.g. agent, team_lead, qa."),
            _f("hire_date", pa.date32(), "Date of hire.", nullable=False),
            _f("exit_date", pa.date32(), "Date of exit; null while employed."),
            _f("exit_reason", pa.string(), "voluntary or involuntary when exited."),
            _f("certification_state", pa.string(), "e.g. in_training, certified, lapsed."),
            _f("updated_at", UTC_TS, "When the snapshot was produced.", nullable=False),
            _f("ingest_run", pa.string(), "Id of the ingest run that wrote this row."),
        ]
    ),
    key=("source", "snapshot_date", "agent"),
    partition_by=(),
    version_column="updated_at",
)

EVALUATIONS = FactTable(
    name="evaluations",
    schema=pa.schema(
        [
            _f("evaluation_id", pa.int64(), "Id of the QA evaluation in Concord.", nullable=False),
            _f("revision", pa.int32(), "How many times it was completed or changed; the newest wins.", nullable=False),
            _f("provider", pa.string(), "Code of the provider of the evaluated agent.", nullable=False),
            _f("site", pa.string(), "Site code of the evaluated agent."),
            _f("team", pa.string(), "Team code of the evaluated agent."),
            _f("agent", pa.string(), "Employee id of the evaluated agent.", nullable=False),
            _f("program", pa.string(), "Program code of the evaluated interaction."),
            _f("contact_type", pa.string(), "Contact type code of the evaluated interaction."),
            _f("channel", pa.string(), "Channel of the evaluated interaction."),
            _f("interaction_source", pa.string(), "Source of the evaluated interaction.", nullable=False),
            _f("interaction_id", pa.string(), "External id of the evaluated interaction.", nullable=False),
            _f("interaction_at", UTC_TS, "When the evaluated contact was created (UTC).", nullable=False),
            _f("evaluated_at", UTC_TS, "When the evaluation was first completed (UTC): the date it counts by.",
               nullable=False),
            _f("evaluator", pa.string(), "Username of the grader."),
            _f("evaluator_side", pa.string(), "client or partner: who employs the grader."),
            _f("form", pa.string(), "Name of the QA form."),
            _f("form_version", pa.int32(), "Version of the form the evaluation was made on."),
            _f("score_share", pa.float64(), "Weighted share of the form earned, 0-1 (x 100 = QA score in percent); "
               "null when every criterion was N/A."),
            _f("critical_failed", pa.bool_(), "A critical criterion failed (the score is then 0).", nullable=False),
            _f("earned_weight", pa.float64(), "Sum of weight x share over the criteria that applied."),
            _f("possible_weight", pa.float64(), "Sum of the weights of the criteria that applied (N/A left out)."),
            _f("updated_at", UTC_TS, "When this revision was saved; the newer wins.", nullable=False),
            _f("evaluated_month", pa.string(), "Partition: YYYY-MM of evaluated_at in UTC.", nullable=False),
        ]
    ),
    key=("evaluation_id",),
    partition_by=("evaluated_month",),
    version_column="updated_at",
)  # fmt: skip

AGENT_STATES = FactTable(
    name="agent_states",
    schema=pa.schema(
        [
            _f("source", pa.string(), "System the agent-state report came from.", nullable=False),
            _f("provider", pa.string(), "Provider code.", nullable=False),
            _f("site", pa.string(), "Site code."),
            _f("team", pa.string(), "Team code."),
            _f("agent", pa.string(), "Agent's external id in the source system.", nullable=False),
            _f("interval_start", UTC_TS, "Start of the interval (UTC).", nullable=False),
            _f("interval_minutes", pa.int16(), "Length of the interval in minutes (15, 30, 60 or a day).",
               nullable=False),
            _f("paid_seconds", pa.float64(), "Paid (scheduled) seconds of the agent in the interval, from WFM; "
               "when absent, logged-in time stands for it."),
            _f("logged_in_seconds", pa.float64(), "Seconds logged in to the ACD in any state but offline."),
            _f("handle_seconds", pa.float64(), "Seconds on contacts: talk, hold and after-contact work."),
            _f("available_seconds", pa.float64(), "Seconds available (ready) and idle, waiting for a contact."),
            _f("unavailable_seconds", pa.float64(), "Seconds logged in but not ready: breaks, meetings, training, "
               "errors (auxiliary / not-ready states)."),
            _f("updated_at", UTC_TS, "When the report was produced; the newer wins.", nullable=False),
            _f("interval_month", pa.string(), "Partition: YYYY-MM of interval_start in UTC.", nullable=False),
            _f("ingest_run", pa.string(), "Id of the ingest run that wrote this row."),
        ]
    ),
    key=("source", "provider", "agent", "interval_start"),
    partition_by=("interval_month",),
    version_column="updated_at",
)  # fmt: skip

TABLES: dict[str, FactTable] = {t.name: t for t in (INTERACTIONS, INTERVALS, ROSTER, EVALUATIONS, AGENT_STATES)}
