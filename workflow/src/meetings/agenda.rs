//! Agendas: items added, moved and removed, numbered 1, 2, 3, … without
//! gaps inside the write lock (`reorder`), and read as one viewer may see
//! them.

use std::collections::HashMap;

use accord_domain::Texts;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::{MAX_AGENDA_ITEMS, MAX_TITLE_CHARS, check_texts, find_meeting};
use crate::actor::Actor;
use crate::audit::AuditRecord;
use crate::db::is_id;
use crate::db::{from_json, to_json};
use crate::engine::{Engine, Outcome, check};
use crate::entity::{draft, meeting_agenda};
use crate::error::{Result, WorkflowError};
use crate::permissions::Action;
use crate::read::{DraftView, Reader};
use crate::store::{WriteTx, expect_one};

/// What an agenda item is about: a draft, or a plain title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgendaSubject {
    /// A draft, shown with its state.
    Draft(String),
    /// A plain title, per language.
    Titled(Texts),
}

/// An agenda item as one viewer sees it.
#[derive(Debug, Clone)]
pub struct AgendaEntry {
    /// The item's id.
    pub id: String,
    /// Its place on the agenda as shown to this viewer: 1, 2, 3, …
    pub position: i32,
    /// A plain item's title.
    pub title: Option<Texts>,
    /// The draft discussed, as the viewer sees it.
    pub draft: Option<DraftView>,
}

impl Engine {
    /// Puts a draft or a titled item on a meeting's agenda at `position`
    /// (1 for the top; the end when `None`); the items from there on move
    /// down by one.
    pub(crate) async fn add_agenda_item(
        &self,
        actor: &Actor,
        meeting_id: &str,
        subject: AgendaSubject,
        position: Option<i32>,
    ) -> Result<Outcome> {
        check(actor, Action::AddAgendaItem, None)?;
        if let AgendaSubject::Titled(title) = &subject {
            check_texts("title", title, MAX_TITLE_CHARS)?;
        }
        let now = self.now();
        let tx = self.store().begin_write().await?;
        let row = find_meeting(tx.conn(), meeting_id).await?;
        let draft_id = match &subject {
            AgendaSubject::Draft(id) => {
                if !is_id(id)
                    || draft::Entity::find_by_id(id.clone())
                        .one(tx.conn())
                        .await?
                        .is_none()
                {
                    return Err(WorkflowError::bad_input(format!(
                        "draft {id:?} does not exist"
                    )));
                }
                Some(id.clone())
            }
            AgendaSubject::Titled(_) => None,
        };
        let agenda = agenda_rows(tx.conn(), meeting_id).await?;
        if agenda.len() >= MAX_AGENDA_ITEMS {
            return Err(WorkflowError::bad_input(format!(
                "an agenda holds at most {MAX_AGENDA_ITEMS} items"
            )));
        }
        if let Some(id) = &draft_id
            && agenda.iter().any(|a| a.draft_id.as_ref() == Some(id))
        {
            return Err(WorkflowError::bad_input(format!(
                "draft {id} is already on this agenda"
            )));
        }
        let end = agenda.len() as i32 + 1;
        let position = position.unwrap_or(end);
        if !(1..=end).contains(&position) {
            return Err(WorkflowError::bad_input(format!(
                "position must be between 1 and {end}"
            )));
        }
        let item_id = append_to_agenda(&tx, meeting_id, &subject).await?;
        let mut order: Vec<String> = agenda.iter().map(item_id_of).collect::<Result<_>>()?;
        order.insert(position as usize - 1, item_id.clone());
        reorder(&tx, meeting_id, &order).await?;
        tx.commit_audited(
            actor,
            AuditRecord {
                draft_id: draft_id.clone(),
                ..AuditRecord::of(
                    Action::AddAgendaItem,
                    "meeting",
                    &row.id,
                    None,
                    json!({
                        "item": item_id,
                        "position": position,
                        "draft": draft_id,
                        "title": match &subject {
                            AgendaSubject::Titled(title) => Some(title),
                            AgendaSubject::Draft(_) => None,
                        },
                    }),
                )
            },
            now,
        )
        .await?;
        Ok(Outcome::Meeting { meeting_id: row.id })
    }

    /// Moves an agenda item to `position` (`Some`) or takes it off the
    /// agenda (`None`); the other items close up.
    pub(crate) async fn change_agenda_item(
        &self,
        actor: &Actor,
        item_id: &str,
        position: Option<i32>,
    ) -> Result<Outcome> {
        let action = if position.is_some() {
            Action::MoveAgendaItem
        } else {
            Action::RemoveAgendaItem
        };
        check(actor, action, None)?;
        let not_found = || WorkflowError::NotFound(format!("agenda item {item_id} not found"));
        if !is_id(item_id) {
            return Err(not_found());
        }
        let now = self.now();
        let tx = self.store().begin_write().await?;
        let item = meeting_agenda::Entity::find()
            .filter(meeting_agenda::Column::Id.eq(item_id))
            .one(tx.conn())
            .await?
            .ok_or_else(not_found)?;
        let agenda = agenda_rows(tx.conn(), &item.meeting_id).await?;
        let mut order: Vec<String> = agenda.iter().map(item_id_of).collect::<Result<_>>()?;
        order.retain(|id| id != item_id);
        if let Some(position) = position {
            let last = agenda.len() as i32;
            if !(1..=last).contains(&position) {
                return Err(WorkflowError::bad_input(format!(
                    "position must be between 1 and {last}"
                )));
            }
            order.insert(position as usize - 1, item_id.to_owned());
        } else {
            meeting_agenda::Entity::delete_many()
                .filter(meeting_agenda::Column::Id.eq(item_id))
                .exec(tx.conn())
                .await?;
        }
        reorder(&tx, &item.meeting_id, &order).await?;
        tx.commit_audited(
            actor,
            AuditRecord {
                draft_id: item.draft_id.clone(),
                ..AuditRecord::of(
                    action,
                    "meeting",
                    &item.meeting_id,
                    Some(json!({ "item": item_id, "position": item.position })),
                    json!({ "item": item_id, "position": position }),
                )
            },
            now,
        )
        .await?;
        Ok(Outcome::Meeting {
            meeting_id: item.meeting_id,
        })
    }
}

/// Puts a draft on a meeting's agenda at the end, unless it is there
/// already (for `openSwgDiscussion` and `recordSocAgreement`).
pub(crate) async fn put_draft_on_agenda(
    tx: &WriteTx,
    meeting_id: &str,
    draft_id: &str,
) -> Result<()> {
    let on_agenda = meeting_agenda::Entity::find()
        .filter(meeting_agenda::Column::MeetingId.eq(meeting_id))
        .filter(meeting_agenda::Column::DraftId.eq(draft_id))
        .count(tx.conn())
        .await?;
    if on_agenda == 0 {
        append_to_agenda(tx, meeting_id, &AgendaSubject::Draft(draft_id.to_owned())).await?;
    }
    Ok(())
}

/// Appends an item after the last one (positions are gap-free, so that is
/// the item count plus one, read inside the write lock); its id.
async fn append_to_agenda(
    tx: &WriteTx,
    meeting_id: &str,
    subject: &AgendaSubject,
) -> Result<String> {
    let count = meeting_agenda::Entity::find()
        .filter(meeting_agenda::Column::MeetingId.eq(meeting_id))
        .count(tx.conn())
        .await?;
    let id = uuid::Uuid::now_v7().to_string();
    let (draft_id, title) = match subject {
        AgendaSubject::Draft(draft_id) => (Some(draft_id.clone()), None),
        AgendaSubject::Titled(title) => (None, Some(to_json(title)?)),
    };
    meeting_agenda::Entity::insert(meeting_agenda::ActiveModel {
        meeting_id: Set(meeting_id.to_owned()),
        position: Set(count as i32 + 1),
        draft_id: Set(draft_id),
        title: Set(title),
        id: Set(Some(id.clone())),
    })
    .exec_without_returning(tx.conn())
    .await?;
    Ok(id)
}

/// Numbers a meeting's agenda 1, 2, 3, … in the order of `ids`. The
/// positions are first turned negative, so that no statement ever meets
/// the (meeting, position) key of a row not yet moved.
async fn reorder(tx: &WriteTx, meeting_id: &str, ids: &[String]) -> Result<()> {
    meeting_agenda::Entity::update_many()
        .col_expr(
            meeting_agenda::Column::Position,
            Expr::col(meeting_agenda::Column::Position).mul(-1),
        )
        .filter(meeting_agenda::Column::MeetingId.eq(meeting_id))
        .exec(tx.conn())
        .await?;
    for (index, id) in ids.iter().enumerate() {
        expect_one(
            tx.conn(),
            meeting_agenda::Entity::update_many()
                .col_expr(
                    meeting_agenda::Column::Position,
                    Expr::value(index as i32 + 1),
                )
                .filter(meeting_agenda::Column::Id.eq(id.as_str())),
            "the agenda changed meanwhile; reload it and try again",
        )
        .await?;
    }
    Ok(())
}

async fn agenda_rows<C: ConnectionTrait>(
    conn: &C,
    meeting_id: &str,
) -> Result<Vec<meeting_agenda::Model>> {
    Ok(meeting_agenda::Entity::find()
        .filter(meeting_agenda::Column::MeetingId.eq(meeting_id))
        .order_by_asc(meeting_agenda::Column::Position)
        .all(conn)
        .await?)
}

fn item_id_of(row: &meeting_agenda::Model) -> Result<String> {
    row.id.clone().ok_or_else(|| {
        WorkflowError::Corrupt(format!(
            "agenda item {} of meeting {} has no id",
            row.position, row.meeting_id
        ))
    })
}

impl Reader {
    /// The agenda of each meeting as the viewer may see it, in order.
    pub async fn agendas(
        &self,
        meeting_ids: &[String],
    ) -> Result<HashMap<String, Vec<AgendaEntry>>> {
        let rows = meeting_agenda::Entity::find()
            .filter(meeting_agenda::Column::MeetingId.is_in(meeting_ids.iter().cloned()))
            .order_by_asc(meeting_agenda::Column::MeetingId)
            .order_by_asc(meeting_agenda::Column::Position)
            .all(&self.conn().await?)
            .await?;
        let drafts = self
            .visible_drafts(rows.iter().filter_map(|r| r.draft_id.clone()).collect())
            .await?;
        let mut out: HashMap<String, Vec<AgendaEntry>> = HashMap::new();
        for row in rows {
            let draft = match &row.draft_id {
                Some(id) => match drafts.get(id) {
                    Some(view) => Some(view.clone()),
                    None => continue,
                },
                None => None,
            };
            let list = out.entry(row.meeting_id.clone()).or_default();
            list.push(AgendaEntry {
                id: item_id_of(&row)?,
                position: list.len() as i32 + 1,
                title: row
                    .title
                    .as_deref()
                    .map(|t| from_json(t, "agenda title"))
                    .transpose()?,
                draft,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use accord_domain::{Anchor, Content, Item, OrgCode};

    use super::*;
    use crate::entity::audit_log;
    use crate::meetings::tests::{date, delegate, english, meeting};
    use crate::store::Store;
    use crate::testing::{fresh_store, officer};
    use crate::{Command, NewDraft};

    async fn draft(engine: &Engine) -> String {
        let content = Content::new(vec![Item {
            anchor: Anchor::parse("item-1").unwrap(),
            texts: english("A text."),
        }])
        .unwrap();
        match engine
            .execute(
                &officer(),
                Command::CreateDraft(NewDraft {
                    kind: "CONCEPT_PAPER".into(),
                    title: english("An internal draft"),
                    signatories: vec![OrgCode::parse("CICA").unwrap()],
                    content,
                }),
            )
            .await
            .unwrap()
        {
            Outcome::Draft { draft_id, .. } => draft_id,
            other => panic!("{other:?}"),
        }
    }

    async fn add(engine: &Engine, meeting_id: &str, title: &str, position: Option<i32>) {
        engine
            .execute(
                &officer(),
                Command::AddAgendaItem {
                    meeting_id: meeting_id.into(),
                    subject: AgendaSubject::Titled(english(title)),
                    position,
                },
            )
            .await
            .unwrap();
    }

    async fn titles(store: &Store, actor: Actor, meeting_id: &str) -> Vec<(i32, String)> {
        Reader::new(store.clone(), actor)
            .agendas(&[meeting_id.to_owned()])
            .await
            .unwrap()
            .remove(meeting_id)
            .unwrap_or_default()
            .into_iter()
            .map(|a| {
                let title = match (&a.title, &a.draft) {
                    (Some(t), _) => t.first().to_owned(),
                    (None, Some(d)) => d.title.first().to_owned(),
                    (None, None) => String::new(),
                };
                (a.position, title)
            })
            .collect()
    }

    fn numbered(titles: &[&str]) -> Vec<(i32, String)> {
        titles
            .iter()
            .enumerate()
            .map(|(i, t)| (i as i32 + 1, (*t).to_owned()))
            .collect()
    }

    #[tokio::test]
    async fn an_agenda_stays_numbered_without_gaps_through_adds_moves_and_removals() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        let id = meeting(&engine, "SOC", date(2024, 6, 27), Some("2024-II")).await;
        add(&engine, &id, "B", None).await;
        add(&engine, &id, "C", None).await;
        add(&engine, &id, "A", Some(1)).await;
        assert_eq!(
            titles(&store, officer(), &id).await,
            numbered(&["A", "B", "C"])
        );
        let items = Reader::new(store.clone(), officer())
            .agendas(std::slice::from_ref(&id))
            .await
            .unwrap()
            .remove(&id)
            .unwrap();
        engine
            .execute(
                &officer(),
                Command::MoveAgendaItem {
                    item_id: items[0].id.clone(),
                    position: 3,
                },
            )
            .await
            .unwrap();
        assert_eq!(
            titles(&store, officer(), &id).await,
            numbered(&["B", "C", "A"])
        );
        engine
            .execute(
                &officer(),
                Command::RemoveAgendaItem {
                    item_id: items[1].id.clone(),
                },
            )
            .await
            .unwrap();
        assert_eq!(titles(&store, officer(), &id).await, numbered(&["C", "A"]));
        let refused = engine
            .execute(
                &officer(),
                Command::MoveAgendaItem {
                    item_id: items[0].id.clone(),
                    position: 3,
                },
            )
            .await;
        assert!(
            matches!(refused, Err(WorkflowError::Rejected(_))),
            "{refused:?}"
        );
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::EntityId.eq(id.as_str()))
            .count(store.db())
            .await
            .unwrap();
        assert_eq!(audited, 6, "schedule, three adds, a move and a removal");
    }

    #[tokio::test]
    async fn concurrent_additions_get_distinct_consecutive_positions() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        let id = meeting(&engine, "SWG", date(2024, 6, 25), None).await;
        let adds = (0..12).map(|n| {
            let engine = engine.clone();
            let id = id.clone();
            tokio::spawn(async move { add(&engine, &id, &format!("Item {n}"), None).await })
        });
        for handle in adds.collect::<Vec<_>>() {
            handle.await.unwrap();
        }
        let positions: Vec<i32> = titles(&store, officer(), &id)
            .await
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(positions, (1..=12).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_draft_the_viewer_may_not_see_is_left_off_the_agenda() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        let id = meeting(&engine, "SWG", date(2024, 6, 25), None).await;
        let internal = draft(&engine).await;
        add(&engine, &id, "Opening", None).await;
        engine
            .execute(
                &officer(),
                Command::AddAgendaItem {
                    meeting_id: id.clone(),
                    subject: AgendaSubject::Draft(internal),
                    position: None,
                },
            )
            .await
            .unwrap();
        add(&engine, &id, "Closing", None).await;
        assert_eq!(
            titles(&store, officer(), &id).await,
            numbered(&["Opening", "An internal draft", "Closing"])
        );
        assert_eq!(
            titles(&store, delegate(), &id).await,
            numbered(&["Opening", "Closing"])
        );
    }
}
