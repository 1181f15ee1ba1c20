//! The due-date engine: the submission rules as read, and the due dates
//! they give an event, each change written with its reason.

use accord_domain::{DocumentKind, EventDates, RuleAnchor, SubmissionRule, Texts};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::clock::astana_date;
use crate::db::from_json;
use crate::entity::{due_date, due_date_change, submission_rule};
use crate::error::{Result, WorkflowError};
use crate::events::parse_kind;
use crate::read::Reader;
use crate::store::WriteTx;

/// A submission rule as read.
#[derive(Debug, Clone)]
pub struct RuleRecord {
    /// Its id.
    pub id: String,
    /// The rule.
    pub rule: SubmissionRule,
    /// The adopting decision's id.
    pub decision_id: Option<String>,
    /// The day adopted.
    pub adopted_on: NaiveDate,
    /// The adopting document's title.
    pub title: Option<Texts>,
    /// How a note cites the adopting document, with `{date}`.
    pub citation: Option<Texts>,
}

impl Reader {
    /// Every submission rule, by kind and the day it came into force.
    pub async fn submission_rules(&self) -> Result<Vec<RuleRecord>> {
        all_rules(&self.conn().await?).await
    }
}

/// Which rules an event's due dates are computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Basis {
    /// The rules each due date was computed from before (the rule in force
    /// today for a kind that has none yet).
    Kept,
    /// The rules in force today.
    InForce,
}

/// Sets the due dates of `event_id` for `dates` on `basis`, writing a
/// `due_date_changes` row, with `reason`, for each one set or changed.
/// Returns the due dates as JSON for the audit record.
pub(super) async fn set_due_dates(
    tx: &WriteTx,
    event_id: &str,
    dates: EventDates,
    basis: Basis,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<serde_json::Value> {
    let rules = all_rules(tx.conn()).await?;
    let existing = due_date::Entity::find()
        .filter(due_date::Column::EventId.eq(event_id))
        .all(tx.conn())
        .await?;
    let today = astana_date(now);
    let mut out = serde_json::Map::new();
    for kind in DocumentKind::ALL {
        let old = existing.iter().find(|d| d.kind == kind.as_str());
        let kept = match (basis, old) {
            (Basis::Kept, Some(old)) => rules.iter().find(|r| r.id == old.rule_id),
            _ => None,
        };
        let Some(rule) = kept.or_else(|| {
            accord_domain::rule_in_force(&rules, kind, today, |r: &RuleRecord| &r.rule)
        }) else {
            continue;
        };
        let due = accord_domain::due_date(&rule.rule, dates);
        out.insert(kind.as_str().into(), json!({ "due": due, "rule": rule.id }));
        if old.is_some_and(|o| o.due_on == due && o.rule_id == rule.id) {
            continue;
        }
        if old.is_some() {
            due_date::Entity::update_many()
                .col_expr(due_date::Column::DueOn, Expr::value(due))
                .col_expr(due_date::Column::RuleId, Expr::value(rule.id.as_str()))
                .col_expr(due_date::Column::ComputedAt, Expr::value(now))
                .filter(due_date::Column::EventId.eq(event_id))
                .filter(due_date::Column::Kind.eq(kind.as_str()))
                .exec(tx.conn())
                .await?;
        } else {
            due_date::Entity::insert(due_date::ActiveModel {
                event_id: Set(event_id.to_owned()),
                kind: Set(kind.as_str().to_owned()),
                rule_id: Set(rule.id.clone()),
                due_on: Set(due),
                computed_at: Set(now),
            })
            .exec_without_returning(tx.conn())
            .await?;
        }
        due_date_change::Entity::insert(due_date_change::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            event_id: Set(event_id.to_owned()),
            kind: Set(kind.as_str().to_owned()),
            from_due: Set(old.map(|o| o.due_on)),
            to_due: Set(due),
            from_rule: Set(old.map(|o| o.rule_id.clone())),
            to_rule: Set(rule.id.clone()),
            reason: Set(reason.to_owned()),
            at: Set(now),
        })
        .exec_without_returning(tx.conn())
        .await?;
    }
    Ok(serde_json::Value::Object(out))
}

pub(super) async fn all_rules<C: ConnectionTrait>(conn: &C) -> Result<Vec<RuleRecord>> {
    submission_rule::Entity::find()
        .order_by_asc(submission_rule::Column::Kind)
        .order_by_asc(submission_rule::Column::InForceFrom)
        .all(conn)
        .await?
        .into_iter()
        .map(rule_record)
        .collect()
}

fn rule_record(row: submission_rule::Model) -> Result<RuleRecord> {
    let rule = SubmissionRule::new(
        parse_kind(&row.kind)?,
        row.anchor
            .parse::<RuleAnchor>()
            .map_err(|e| WorkflowError::Corrupt(e.to_string()))?,
        row.offset_days,
        row.in_force_from,
    )
    .map_err(|e| WorkflowError::Corrupt(e.to_string()))?;
    Ok(RuleRecord {
        id: row.id,
        rule,
        decision_id: row.decision_id,
        adopted_on: row.adopted_on,
        title: row
            .title
            .as_deref()
            .map(|t| from_json(t, "rule title"))
            .transpose()?,
        citation: row
            .citation
            .as_deref()
            .map(|t| from_json(t, "rule citation"))
            .transpose()?,
    })
}
