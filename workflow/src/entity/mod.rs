//! sea-orm entities: the rows as stored. They never leave `workflow`; the
//! API sees the read models in `crate::read` instead, so renaming a column
//! does not change the GraphQL schema.

pub mod audit_head;
pub mod audit_log;
pub mod blob;
pub mod body;
pub mod calendar_feed;
pub mod comment;
pub mod compilation_circulation;
pub mod decision;
pub mod decision_approval;
pub mod draft;
pub mod draft_count;
pub mod draft_signatory;
pub mod draft_stance;
pub mod due_date;
pub mod due_date_change;
pub mod idempotency_key;
pub mod item;
pub mod job_lease;
pub mod meeting;
pub mod meeting_agenda;
pub mod note;
pub mod note_counter;
pub mod note_draft;
pub mod note_formula;
pub mod note_reference;
pub mod organization;
pub mod plan;
pub mod plan_event;
pub mod plan_event_change;
pub mod plan_event_organiser;
pub mod route;
pub mod scheduled_reminder;
pub mod signatory_block;
pub mod signature;
pub mod signing_delegation;
pub mod silence_procedure;
pub mod submission;
pub mod submission_rule;
pub mod upload;
pub mod version;
