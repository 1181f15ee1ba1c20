//! The read side: what a viewer may see, as plain read models, loaded in
//! batches (one statement per kind of object, whatever the number of
//! drafts, versions or comments) so the API's loaders never issue N+1
//! queries.
//!
//! Visibility is applied here, with the rules of `permissions`: a draft the
//! viewer may not see is `NOT_FOUND`, uncirculated versions are shown only
//! to parties, and a member state reads only its own comments.

use std::collections::HashMap;
use std::sync::Arc;

use accord_domain::{
    Anchor, CommentKind, CommentStatus, Content, DraftState, Item, ItemChange, Lang,
    ProposalOperation, Route, Texts,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, DatabaseExecutor, DatabaseTransaction, DerivePartialModel, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use tokio::sync::OnceCell;

use crate::actor::Actor;
use crate::entity::{
    audit_log, comment, decision, draft, draft_count, draft_signatory, item, meeting,
    meeting_agenda, version,
};
use crate::error::{Result, WorkflowError};
use crate::paging::Window;
use crate::permissions::{self, DraftFacts, DraftScope, Relation};
use crate::snapshot::{Snapshot, parse_state, snapshot, snapshots};
use crate::store::{Store, find_organization};
use crate::written::{CommentAfter, DraftAfter};

pub use crate::paging::MAX_PAGE;
pub use crate::store::OrgView;

/// A draft as one viewer sees it.
#[derive(Debug, Clone)]
pub struct DraftView {
    /// The draft's id.
    pub id: String,
    /// The kind of document.
    pub kind: String,
    /// The title.
    pub title: Texts,
    /// The state.
    pub state: DraftState,
    /// The latest version this viewer may see.
    pub current_version: i32,
    /// The version agreed by the SOC, once agreed.
    pub agreed_version: Option<i32>,
    /// Why it was withdrawn.
    pub withdrawn_reason: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Required signatory organisations, in order.
    pub signatories: Vec<String>,
    /// The signatures so far, in the order given.
    pub signatures: Vec<SignatureView>,
    /// The route version it started on.
    pub route_id: String,
    /// That route's stages.
    pub route: Arc<Route>,
    /// The key of the last stage of its route it reached; none while
    /// drafting.
    pub stage: Option<String>,
    /// The facts the permission rules use, for this viewer.
    pub facts: DraftFacts,
}

/// A version's metadata.
#[derive(Debug, Clone)]
pub struct VersionView {
    /// The draft.
    pub draft_id: String,
    /// 1, 2, …
    pub number: i32,
    /// SHA-256 of the canonical form of its items.
    pub content_hash: String,
    /// What changed.
    pub change_summary: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// One item of a version.
#[derive(Debug, Clone)]
pub struct ItemView {
    /// The stable anchor.
    pub anchor: String,
    /// The texts.
    pub texts: Texts,
}

/// A comment or proposal.
#[derive(Debug, Clone)]
pub struct CommentView {
    /// The comment's id.
    pub id: String,
    /// The draft.
    pub draft_id: String,
    /// The version it was made on.
    pub version: i32,
    /// The item, if any.
    pub anchor: Option<String>,
    /// Comment or proposal.
    pub kind: CommentKind,
    /// Open or the disposition.
    pub status: CommentStatus,
    /// The text.
    pub body: String,
    /// The organisation it speaks for.
    pub org_code: String,
    /// The author's id.
    pub author_sub: String,
    /// The author's name.
    pub author_name: String,
    /// The amendment, for a proposal.
    pub operation: Option<ProposalOperation>,
    /// The proposed texts.
    pub proposal_texts: Option<Texts>,
    /// The Secretariat's reply.
    pub reply: Option<String>,
    /// The version that accommodated it.
    pub accommodated_in_version: Option<i32>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// A meeting of a body.
#[derive(Debug, Clone)]
pub struct MeetingView {
    /// The meeting's id.
    pub id: String,
    /// `SWG`, `SOC`.
    pub body: String,
    /// The date.
    pub date: NaiveDate,
    /// The session within the year, if numbered.
    pub session: Option<i32>,
}

/// A decision.
#[derive(Debug, Clone)]
pub struct DecisionView {
    /// The decision's id.
    pub id: String,
    /// e.g. `SOC/2024-II/DEC/3`.
    pub number: String,
    /// The date.
    pub date: NaiveDate,
}

/// A signature.
#[derive(Debug, Clone)]
pub struct SignatureView {
    /// The organisation signed for.
    pub org_code: String,
    /// The signer's id.
    pub signer_sub: String,
    /// The signer's name.
    pub signer_name: String,
    /// The hash signed.
    pub content_hash: String,
    /// For a signature under a delegation: the Secretary General signed
    /// for, and the acting title per language.
    pub acting: Option<(String, Texts)>,
    /// When.
    pub signed_at: DateTime<Utc>,
}

/// One line of a draft's history (from the audit log).
#[derive(Debug, Clone)]
pub struct HistoryView {
    /// What was done.
    pub action: String,
    /// The state before.
    pub from_state: Option<DraftState>,
    /// The state after.
    pub to_state: Option<DraftState>,
    /// When.
    pub at: String,
    /// Who.
    pub actor_sub: String,
    /// Their name.
    pub actor_name: String,
    /// Their organisation.
    pub actor_org: String,
}

/// A page of drafts, newest first.
pub type DraftPage = crate::paging::Page<DraftView>;

/// The proposals on one item, for the compilation.
#[derive(Debug, Clone)]
pub struct CompilationRow {
    /// The item's anchor.
    pub anchor: String,
    /// The proposals, oldest first.
    pub proposals: Vec<CommentView>,
}

/// The latest version a viewer in `relation` may see: parties see work in
/// progress, everyone else the last circulated version.
pub fn visible_current_version(row: &draft::Model, relation: Relation) -> i32 {
    if permissions::can_see_uncirculated(relation) {
        row.current_version
    } else {
        row.circulated_version.unwrap_or(0)
    }
}

/// Reads on behalf of one viewer.
///
/// A reader made with [`Reader::new`] sends each statement to the pool and
/// sees what is committed when the statement runs; one made with
/// [`Reader::on_one_snapshot`] (what a GraphQL query gets) reads every
/// statement of the request through one read transaction, begun at its
/// first read: one pooled connection per request instead of one per
/// statement, and every object of the response from the same snapshot.
#[derive(Debug, Clone)]
pub struct Reader {
    store: Store,
    actor: Actor,
    snapshot: Option<Arc<OnceCell<DatabaseTransaction>>>,
    /// Whether the viewer acts for their Secretary General, once asked
    /// (on one snapshot only: see [`Reader::memo_acting`]).
    acting: Arc<OnceCell<bool>>,
}

impl Reader {
    /// A reader for `actor`, reading through the pool.
    pub fn new(store: Store, actor: Actor) -> Reader {
        Reader {
            store,
            actor,
            snapshot: None,
            acting: Arc::default(),
        }
    }

    /// A reader for `actor` whose reads all see one snapshot. Not for a
    /// request that writes: its reads after the write would not see it.
    pub fn on_one_snapshot(store: Store, actor: Actor) -> Reader {
        Reader {
            store,
            actor,
            snapshot: Some(Arc::default()),
            acting: Arc::default(),
        }
    }

    /// Whether every read sees one snapshot ([`Reader::on_one_snapshot`]):
    /// what it read once stays true until it is dropped.
    pub fn reads_one_snapshot(&self) -> bool {
        self.snapshot.is_some()
    }

    /// The store, for its organisation directory.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// What the reader's statements run on: the pool, or the request's read
    /// transaction, begun by the first statement that asks for it.
    pub(crate) async fn conn(&self) -> Result<DatabaseExecutor<'_>> {
        match &self.snapshot {
            None => Ok(DatabaseExecutor::Connection(self.store.db())),
            Some(cell) => {
                let tx = cell.get_or_try_init(|| self.store.begin_read()).await?;
                Ok(DatabaseExecutor::Transaction(tx))
            }
        }
    }

    /// The answer of `ask`, kept for the reader's life when it reads one
    /// snapshot (a query: its answers are those of one instant), asked
    /// afresh each time otherwise (a mutation's answer, a subscription
    /// that lives on).
    pub(crate) async fn memo_acting<F, Fut>(&self, ask: F) -> Result<bool>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<bool>>,
    {
        if self.snapshot.is_none() {
            return ask().await;
        }
        self.acting.get_or_try_init(ask).await.copied()
    }

    /// The viewer.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Every organisation, ordered by code.
    pub async fn all_organizations(&self) -> Result<Arc<[OrgView]>> {
        // From memory without touching the connection (which would begin a
        // snapshot reader's transaction); a reload goes through it.
        if let Some(orgs) = self.store.fresh_organizations() {
            return Ok(orgs);
        }
        self.store.organizations_via(&self.conn().await?).await
    }

    /// The kind of a known organisation, or `None` if the code is unknown.
    pub async fn organization_kind(&self, code: &str) -> Result<Option<accord_domain::OrgKind>> {
        kind_of(
            find_organization(&self.all_organizations().await?, code),
            code,
        )
    }

    /// One draft, or `NOT_FOUND` if it does not exist or is hidden.
    pub async fn draft(&self, id: &str) -> Result<DraftView> {
        let snap = snapshot(&self.conn().await?, self.store.routes(), id).await?;
        self.view(snap)?
            .ok_or_else(|| WorkflowError::draft_not_found(id))
    }

    /// The draft as this viewer sees it, or `None` if it is hidden.
    pub(crate) fn view(&self, snap: Snapshot) -> Result<Option<DraftView>> {
        let facts = snap.facts(&self.actor)?;
        if !permissions::can_see(&facts) {
            return Ok(None);
        }
        let title: Texts = serde_json::from_str(&snap.row.title)
            .map_err(|error| WorkflowError::Corrupt(format!("draft title: {error}")))?;
        Ok(Some(DraftView {
            current_version: visible_current_version(&snap.row, facts.relation),
            id: snap.row.id,
            kind: snap.row.kind,
            title,
            state: facts.state,
            agreed_version: snap.row.agreed_version,
            withdrawn_reason: snap.row.withdrawn_reason,
            created_at: snap.row.created_at,
            updated_at: snap.row.updated_at,
            route_id: snap.row.route_id,
            route: snap.route,
            stage: snap.row.stage,
            signatories: snap.signatories,
            signatures: snap
                .signatures
                .into_iter()
                .map(|s| {
                    let acting = match (s.acting_for, s.acting_title) {
                        (Some(name), Some(title)) => Some((
                            name,
                            serde_json::from_str::<Texts>(&title).map_err(|error| {
                                WorkflowError::Corrupt(format!("acting title: {error}"))
                            })?,
                        )),
                        _ => None,
                    };
                    Ok(SignatureView {
                        org_code: s.org_code,
                        signer_sub: s.signer_sub,
                        signer_name: s.signer_name,
                        content_hash: s.content_hash,
                        signed_at: s.signed_at,
                        acting,
                    })
                })
                .collect::<Result<_>>()?,
            facts,
        }))
    }

    /// Drafts the viewer may see, newest first, the page `window` asks for
    /// (keyset pagination on the time-ordered id).
    pub async fn drafts(&self, state: Option<DraftState>, window: &Window) -> Result<DraftPage> {
        let mut visible = Condition::all();
        if let Some(state) = state {
            visible = visible.add(draft::Column::State.eq(state.as_str()));
        }
        visible = visible.add(self.visibility());
        let total_count = self.draft_total(state).await?;
        let mut query = draft::Entity::find().filter(visible);
        if let Some(cursor) = window.cursor() {
            query = query.filter(window.past_id(Order::Desc, draft::Column::Id, cursor));
        }
        let rows = query
            .order_by(draft::Column::Id, window.order(Order::Desc))
            .limit(window.limit())
            .all(&self.conn().await?)
            .await?;
        let (rows, page) = window.cut(rows, total_count, |r| r.id.clone()).split();
        let mut nodes = Vec::with_capacity(rows.len());
        for snap in snapshots(&self.conn().await?, self.store.routes(), rows).await? {
            if let Some(view) = self.view(snap)? {
                nodes.push(view);
            }
        }
        Ok(page.with(nodes))
    }

    /// How many drafts (in `state`) the viewer may see, from the counts the
    /// database keeps (migration 8) instead of counting the list: the
    /// Secretariat sees every draft, member states and observers the
    /// circulated ones, counterparts those and the uncirculated drafts they
    /// sign (a partial index keeps that count to those few drafts). The
    /// same [`DraftScope`] as [`Reader::visibility`] and
    /// `permissions::can_see`; the end-to-end tests hold the three together.
    async fn draft_total(&self, state: Option<DraftState>) -> Result<u64> {
        let scope = DraftScope::of_actor(&self.actor);
        if scope == DraftScope::Nothing {
            return Ok(0);
        }
        let mut counted = draft_count::Entity::find();
        if let Some(state) = state {
            counted = counted.filter(draft_count::Column::State.eq(state.as_str()));
        }
        if scope != DraftScope::All {
            counted = counted.filter(draft_count::Column::Circulated.eq(true));
        }
        let mut total: i64 = counted
            .all(&self.conn().await?)
            .await?
            .iter()
            .map(|row| row.total)
            .sum();
        if scope == DraftScope::CirculatedOrSigned {
            let mut signed = draft::Entity::find()
                .filter(draft::Column::CirculatedVersion.is_null())
                .filter(self.signed_by_viewer());
            if let Some(state) = state {
                signed = signed.filter(draft::Column::State.eq(state.as_str()));
            }
            total += i64::try_from(signed.count(&self.conn().await?).await?).unwrap_or(i64::MAX);
        }
        u64::try_from(total)
            .map_err(|_| WorkflowError::Corrupt(format!("a negative draft count: {total}")))
    }

    /// The drafts the viewer's organisation signs.
    fn signed_by_viewer(&self) -> Expr {
        draft::Column::Id.in_subquery(
            Query::select()
                .column(draft_signatory::Column::DraftId)
                .from(draft_signatory::Entity)
                .and_where(
                    Expr::col(draft_signatory::Column::OrgCode).eq(self.actor.org().as_str()),
                )
                .to_owned(),
        )
    }

    /// The SQL form of `permissions::can_see` for this viewer.
    fn visibility(&self) -> Condition {
        let circulated = draft::Column::CirculatedVersion.is_not_null();
        match DraftScope::of_actor(&self.actor) {
            // No draft has no id: matches nothing.
            DraftScope::Nothing => Condition::all().add(draft::Column::Id.is_null()),
            DraftScope::All => Condition::all(),
            DraftScope::CirculatedOrSigned => Condition::any()
                .add(circulated)
                .add(self.signed_by_viewer()),
            DraftScope::Circulated => Condition::all().add(circulated),
        }
    }

    /// The versions of each draft up to what the viewer may see, oldest first.
    pub async fn versions(
        &self,
        drafts: &[(String, i32)],
    ) -> Result<HashMap<String, Vec<VersionView>>> {
        let limits: HashMap<&str, i32> =
            drafts.iter().map(|(id, max)| (id.as_str(), *max)).collect();
        let rows = version::Entity::find()
            .filter(version::Column::DraftId.is_in(drafts.iter().map(|(id, _)| id.clone())))
            .order_by_asc(version::Column::DraftId)
            .order_by_asc(version::Column::Number)
            .all(&self.conn().await?)
            .await?;
        Ok(group(
            rows.into_iter()
                .filter(|v| {
                    limits
                        .get(v.draft_id.as_str())
                        .is_some_and(|max| v.number <= *max)
                })
                .map(|v| VersionView {
                    draft_id: v.draft_id,
                    number: v.number,
                    content_hash: v.content_hash,
                    change_summary: v.change_summary,
                    created_at: v.created_at,
                })
                .collect(),
            |v: &VersionView| v.draft_id.clone(),
        ))
    }

    /// The items of each (draft, version), in order. Callers pass only
    /// versions already shown to the viewer.
    pub async fn items(
        &self,
        keys: &[(String, i32)],
    ) -> Result<HashMap<(String, i32), Vec<ItemView>>> {
        let mut condition = Condition::any();
        for (draft_id, number) in keys {
            condition = condition.add(
                Condition::all()
                    .add(item::Column::DraftId.eq(draft_id.as_str()))
                    .add(item::Column::Version.eq(*number)),
            );
        }
        let rows = item::Entity::find()
            .filter(condition)
            .order_by_asc(item::Column::DraftId)
            .order_by_asc(item::Column::Version)
            .order_by_asc(item::Column::Position)
            .all(&self.conn().await?)
            .await?;
        let mut out: HashMap<(String, i32), Vec<ItemView>> = HashMap::new();
        for row in rows {
            let texts: Texts = serde_json::from_str(&row.texts)
                .map_err(|error| WorkflowError::Corrupt(format!("item texts: {error}")))?;
            out.entry((row.draft_id, row.version))
                .or_default()
                .push(ItemView {
                    anchor: row.anchor,
                    texts,
                });
        }
        Ok(out)
    }

    /// The comments of each draft that the viewer may read, oldest first.
    pub async fn comments(
        &self,
        drafts: &[(String, Relation)],
    ) -> Result<HashMap<String, Vec<CommentView>>> {
        let relations: HashMap<&str, Relation> =
            drafts.iter().map(|(id, r)| (id.as_str(), *r)).collect();
        let rows = comment::Entity::find()
            .filter(comment::Column::DraftId.is_in(drafts.iter().map(|(id, _)| id.clone())))
            .order_by_asc(comment::Column::CreatedAt)
            .order_by_asc(comment::Column::Id)
            .into_partial_model::<CommentRow>()
            .all(&self.conn().await?)
            .await?;
        // Only a member state's view depends on the compilations circulated.
        let compiled = if relations.values().any(|r| *r == Relation::MemberState) {
            crate::compilations::circulated_compilations(
                &self.conn().await?,
                drafts.iter().map(|(id, _)| id.clone()),
            )
            .await?
        } else {
            HashMap::new()
        };
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(relation) = relations.get(row.draft_id.as_str()) else {
                continue;
            };
            let in_compilation = row.kind == CommentKind::Proposal.as_str()
                && compiled
                    .get(&row.draft_id)
                    .is_some_and(|c| c.iter().any(|c| c.version == row.version));
            if permissions::can_see_comment(*relation, &self.actor, &row.org_code, in_compilation) {
                views.push(comment_view(row)?);
            }
        }
        Ok(group(views, |c: &CommentView| c.draft_id.clone()))
    }

    /// The draft a change left, as this viewer sees it (`NOT_FOUND` if
    /// hidden from the viewer).
    pub fn draft_after(&self, after: &DraftAfter) -> Result<DraftView> {
        self.view((*after.0).clone())?
            .ok_or_else(|| WorkflowError::draft_not_found(after.id()))
    }

    /// The comment a change left, with its draft, as this viewer sees them
    /// (`NOT_FOUND` if the viewer may not read it).
    pub fn comment_after(&self, after: &CommentAfter) -> Result<(CommentView, DraftView)> {
        let not_found = || WorkflowError::comment_not_found(after.id());
        let draft = self.draft_after(&after.draft).map_err(|_| not_found())?;
        let comment = &after.comment;
        // The comment was just changed by the viewer, who speaks for its
        // organisation (or is the Secretariat): a compilation is no matter.
        if !permissions::can_see_comment(
            draft.facts.relation,
            &self.actor,
            &comment.org_code,
            false,
        ) {
            return Err(not_found());
        }
        let row = CommentRow::from((*after.comment).clone());
        Ok((comment_view(row)?, draft))
    }

    /// One comment the viewer may read, with its draft, or `NOT_FOUND`.
    pub async fn comment(&self, id: &str) -> Result<(CommentView, DraftView)> {
        let not_found = || WorkflowError::comment_not_found(id);
        if !crate::db::is_id(id) {
            return Err(not_found());
        }
        let row = comment::Entity::find_by_id(id.to_owned())
            .into_partial_model::<CommentRow>()
            .one(&self.conn().await?)
            .await?
            .ok_or_else(not_found)?;
        let draft = self.draft(&row.draft_id).await.map_err(|_| not_found())?;
        let compiled = draft.facts.relation == Relation::MemberState
            && crate::compilations::in_circulated_compilation(
                &self.conn().await?,
                &row.kind,
                &row.draft_id,
                row.version,
            )
            .await?;
        if !permissions::can_see_comment(draft.facts.relation, &self.actor, &row.org_code, compiled)
        {
            return Err(not_found());
        }
        Ok((comment_view(row)?, draft))
    }

    /// The meetings each draft was on the agenda of, by date.
    pub async fn meetings(
        &self,
        draft_ids: &[String],
    ) -> Result<HashMap<String, Vec<MeetingView>>> {
        // The agenda entries joined to their meetings, in one statement.
        let rows: Vec<(String, String, String, NaiveDate, Option<i32>)> =
            meeting_agenda::of_drafts_with_their_meetings(draft_ids.iter().cloned())
                .column(meeting_agenda::Column::DraftId)
                .column(meeting::Column::Id)
                .column(meeting::Column::Body)
                .column(meeting::Column::Date)
                .column(meeting::Column::Session)
                .into_tuple()
                .all(&self.conn().await?)
                .await?;
        let mut out: HashMap<String, Vec<MeetingView>> = HashMap::new();
        for (draft_id, id, body, date, session) in rows {
            out.entry(draft_id).or_default().push(MeetingView {
                id,
                body,
                date,
                session,
            });
        }
        for list in out.values_mut() {
            list.sort_by_key(|m| m.date);
        }
        Ok(out)
    }

    /// The decision that agreed each draft.
    pub async fn decisions(&self, draft_ids: &[String]) -> Result<HashMap<String, DecisionView>> {
        Ok(decision::Entity::find()
            .filter(decision::Column::DraftId.is_in(draft_ids.iter().cloned()))
            .all(&self.conn().await?)
            .await?
            .into_iter()
            .filter_map(|d| {
                d.draft_id.map(|id| {
                    (
                        id,
                        DecisionView {
                            id: d.id,
                            number: d.number,
                            date: d.date,
                        },
                    )
                })
            })
            .collect())
    }

    /// Each draft's history from the audit log. Viewers who do not read all
    /// comments see state changes and their own organisation's entries only.
    pub async fn history(
        &self,
        drafts: &[(String, Relation)],
    ) -> Result<HashMap<String, Vec<HistoryView>>> {
        let relations: HashMap<&str, Relation> =
            drafts.iter().map(|(id, r)| (id.as_str(), *r)).collect();
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::DraftId.is_in(drafts.iter().map(|(id, _)| id.clone())))
            .order_by_asc(audit_log::Column::Seq)
            .into_partial_model::<HistoryRow>()
            .all(&self.conn().await?)
            .await?;
        let mut out: HashMap<String, Vec<HistoryView>> = HashMap::new();
        for row in rows {
            let Some(draft_id) = row.draft_id.clone() else {
                continue;
            };
            let Some(relation) = relations.get(draft_id.as_str()) else {
                continue;
            };
            let transition = row.from_state.is_some() && row.from_state != row.to_state;
            let created = row.from_state.is_none() && row.to_state.is_some();
            let own = row.actor_org == self.actor.org().as_str();
            if !(permissions::can_see_uncirculated(*relation) || transition || own)
                || (created && !permissions::can_see_uncirculated(*relation))
            {
                continue;
            }
            out.entry(draft_id).or_default().push(HistoryView {
                from_state: row.from_state.as_deref().map(parse_state).transpose()?,
                to_state: row.to_state.as_deref().map(parse_state).transpose()?,
                action: row.action,
                at: row.at,
                actor_sub: row.actor_sub,
                actor_name: row.actor_name,
                actor_org: row.actor_org,
            });
        }
        Ok(out)
    }

    /// The proposals made on `version`, grouped by item in document order.
    pub async fn compilation(
        &self,
        draft: &DraftView,
        version: i32,
    ) -> Result<Vec<CompilationRow>> {
        self.check_version(draft, version)?;
        let key = (draft.id.clone(), version);
        let items = self
            .items(std::slice::from_ref(&key))
            .await?
            .remove(&key)
            .unwrap_or_default();
        let mut comments = self
            .comments(&[(draft.id.clone(), draft.facts.relation)])
            .await?
            .remove(&draft.id)
            .unwrap_or_default();
        comments.retain(|c| {
            c.version == version
                && c.kind == CommentKind::Proposal
                && c.status != CommentStatus::Withdrawn
        });
        Ok(items
            .into_iter()
            .filter_map(|it| {
                let proposals: Vec<CommentView> = comments
                    .iter()
                    .filter(|c| c.anchor.as_deref() == Some(it.anchor.as_str()))
                    .cloned()
                    .collect();
                (!proposals.is_empty()).then_some(CompilationRow {
                    anchor: it.anchor,
                    proposals,
                })
            })
            .collect())
    }

    /// The item-by-item difference between two visible versions.
    pub async fn diff(&self, draft: &DraftView, from: i32, to: i32) -> Result<Vec<ItemChange>> {
        self.check_version(draft, from)?;
        self.check_version(draft, to)?;
        let keys = [(draft.id.clone(), from), (draft.id.clone(), to)];
        let mut items = self.items(&keys).await?;
        let mut content = |number: i32| -> Result<Content> {
            let list = items
                .remove(&(draft.id.clone(), number))
                .unwrap_or_default();
            let items = list
                .into_iter()
                .map(|it| {
                    Ok(Item {
                        anchor: Anchor::parse(&it.anchor)?,
                        texts: it.texts,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Content::new(items).map_err(|error| WorkflowError::Corrupt(error.to_string()))
        };
        let before = content(from)?;
        let after = if from == to {
            before.clone()
        } else {
            content(to)?
        };
        Ok(accord_domain::diff(&before, &after))
    }

    pub(crate) fn check_version(&self, draft: &DraftView, version: i32) -> Result<()> {
        if (1..=draft.current_version).contains(&version) {
            Ok(())
        } else {
            Err(WorkflowError::bad_input(format!(
                "version {version} does not exist; the latest is {}",
                draft.current_version
            )))
        }
    }
}

/// The columns of an audit record that a draft's history shows: not its
/// before and after images nor its hashes, which only verification reads.
#[derive(Debug, DerivePartialModel)]
#[sea_orm(entity = "audit_log::Entity")]
struct HistoryRow {
    draft_id: Option<String>,
    action: String,
    from_state: Option<String>,
    to_state: Option<String>,
    at: String,
    actor_sub: String,
    actor_name: String,
    actor_org: String,
}

/// The kind of a known organisation, or `None` if the code is unknown.
pub async fn organization_kind(
    store: &Store,
    code: &str,
) -> Result<Option<accord_domain::OrgKind>> {
    kind_of(store.organization(code).await?.as_ref(), code)
}

fn kind_of(org: Option<&OrgView>, code: &str) -> Result<Option<accord_domain::OrgKind>> {
    let Some(org) = org else {
        return Ok(None);
    };
    org.kind.parse().map(Some).map_err(|_| {
        WorkflowError::Corrupt(format!("organisation {code} has unknown kind {}", org.kind))
    })
}

/// The columns of a comment that its view shows: not who resolved it and
/// when, nor when it last changed.
#[derive(Debug, DerivePartialModel)]
#[sea_orm(entity = "comment::Entity")]
struct CommentRow {
    id: String,
    draft_id: String,
    version: i32,
    anchor: Option<String>,
    kind: String,
    status: String,
    body: String,
    org_code: String,
    author_sub: String,
    author_name: String,
    proposal_operation: Option<String>,
    proposal_texts: Option<String>,
    reply: Option<String>,
    accommodated_in_version: Option<i32>,
    created_at: DateTime<Utc>,
}

impl From<comment::Model> for CommentRow {
    fn from(c: comment::Model) -> CommentRow {
        CommentRow {
            id: c.id,
            draft_id: c.draft_id,
            version: c.version,
            anchor: c.anchor,
            kind: c.kind,
            status: c.status,
            body: c.body,
            org_code: c.org_code,
            author_sub: c.author_sub,
            author_name: c.author_name,
            proposal_operation: c.proposal_operation,
            proposal_texts: c.proposal_texts,
            reply: c.reply,
            accommodated_in_version: c.accommodated_in_version,
            created_at: c.created_at,
        }
    }
}

fn comment_view(row: CommentRow) -> Result<CommentView> {
    let corrupt = |what: &str| WorkflowError::Corrupt(format!("comment {}: bad {what}", row.id));
    Ok(CommentView {
        kind: row.kind.parse().map_err(|_| corrupt("kind"))?,
        status: row.status.parse().map_err(|_| corrupt("status"))?,
        operation: row
            .proposal_operation
            .as_deref()
            .map(|op| op.parse().map_err(|_| corrupt("operation")))
            .transpose()?,
        proposal_texts: row.proposal_texts.as_deref().map(parse_texts).transpose()?,
        id: row.id,
        draft_id: row.draft_id,
        version: row.version,
        anchor: row.anchor,
        body: row.body,
        org_code: row.org_code,
        author_sub: row.author_sub,
        author_name: row.author_name,
        reply: row.reply,
        accommodated_in_version: row.accommodated_in_version,
        created_at: row.created_at,
    })
}

fn parse_texts(json: &str) -> Result<Texts> {
    serde_json::from_str(json).map_err(|error| WorkflowError::Corrupt(format!("texts: {error}")))
}

fn group<T>(rows: Vec<T>, key: impl Fn(&T) -> String) -> HashMap<String, Vec<T>> {
    let mut out: HashMap<String, Vec<T>> = HashMap::new();
    for row in rows {
        out.entry(key(&row)).or_default().push(row);
    }
    out
}

/// The text of `texts` in `lang`, falling back as `Texts::pick` does.
pub fn pick(texts: &Texts, lang: Option<Lang>) -> Option<String> {
    texts.pick(lang).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use accord_domain::{Anchor, Content, Item, Lang, NoteSeries, OrgCode, OrgKind, Role, Texts};
    use sea_orm::{ConnectionTrait, Statement};

    use super::*;
    use crate::testing::{fresh_store, officer};
    use crate::{Command, Engine, NewDraft, Outcome};

    fn english(text: &str) -> Texts {
        Texts::from_pairs([(Lang::En, text.to_owned())]).unwrap()
    }

    async fn create(engine: &Engine, signatories: &[&str]) -> String {
        let content = Content::new(vec![Item {
            anchor: Anchor::parse("item-1").unwrap(),
            texts: english("A text."),
        }])
        .unwrap();
        let created = engine
            .execute(
                &officer(),
                Command::CreateDraft(NewDraft {
                    kind: "CONCEPT_PAPER".into(),
                    title: english("A draft"),
                    signatories: signatories
                        .iter()
                        .map(|s| OrgCode::parse(s).unwrap())
                        .collect(),
                    content,
                }),
            )
            .await
            .unwrap();
        match created {
            Outcome::Draft { draft_id, .. } => draft_id,
            other => panic!("{other:?}"),
        }
    }

    /// The counts the triggers keep against a count of the table itself.
    async fn kept_and_counted(
        store: &Store,
    ) -> (Vec<(String, bool, i64)>, Vec<(String, bool, i64)>) {
        let query =
            |sql: &str| Statement::from_string(store.db().get_database_backend(), sql.to_owned());
        let read = |rows: Vec<sea_orm::QueryResult>| {
            let mut out: Vec<(String, bool, i64)> = rows
                .iter()
                .map(|r| {
                    (
                        r.try_get_by_index::<String>(0).unwrap(),
                        r.try_get_by_index::<bool>(1).unwrap(),
                        r.try_get_by_index::<i64>(2).unwrap(),
                    )
                })
                .filter(|(_, _, n)| *n != 0)
                .collect();
            out.sort();
            out
        };
        let kept = store
            .db()
            .query_all_raw(query("SELECT state, circulated, total FROM draft_counts"))
            .await
            .unwrap();
        let counted = store
            .db()
            .query_all_raw(query(
                "SELECT state, circulated_version IS NOT NULL, COUNT(*) FROM drafts \
                 GROUP BY state, circulated_version IS NOT NULL",
            ))
            .await
            .unwrap();
        (read(kept), read(counted))
    }

    #[tokio::test]
    async fn a_snapshot_reader_sees_one_state_and_a_pool_reader_the_latest() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        let id = create(&engine, &["CICA", "SCO"]).await;
        let snapshot = Reader::on_one_snapshot(store.clone(), officer());
        let pool = Reader::new(store.clone(), officer());
        assert_eq!(
            snapshot.draft(&id).await.unwrap().state,
            DraftState::Drafting
        );
        engine
            .execute(
                &officer(),
                Command::WithdrawDraft {
                    draft_id: id.clone(),
                    reason: "Superseded.".into(),
                },
            )
            .await
            .unwrap();
        // Every read of the snapshot reader, however many statements it
        // takes, sees the draft as it was at the reader's first read.
        assert_eq!(
            snapshot.draft(&id).await.unwrap().state,
            DraftState::Drafting
        );
        let history = snapshot
            .history(&[(id.clone(), Relation::HomeSecretariat)])
            .await
            .unwrap();
        assert_eq!(history[&id].len(), 1, "{history:?}");
        assert_eq!(pool.draft(&id).await.unwrap().state, DraftState::Withdrawn);
        let fresh = Reader::on_one_snapshot(store.clone(), officer());
        assert_eq!(fresh.draft(&id).await.unwrap().state, DraftState::Withdrawn);
    }

    #[tokio::test]
    async fn a_snapshot_reader_reloads_the_directory_on_its_own_connection() {
        let (store, url) = crate::testing::fresh_store_and_url().await;
        let engine = Engine::new(store.clone());
        let id = create(&engine, &["CICA"]).await;
        // A second store on the same file with one pooled connection and a
        // directory never loaded: the reader's transaction holds the only
        // connection, so a reload through the pool would wait (30 s, then
        // fail).
        let single = Store::connect(&crate::store::StoreConfig {
            max_connections: 1,
            ..crate::store::StoreConfig::new(url)
        })
        .await
        .unwrap();
        let reader = Reader::on_one_snapshot(single, officer());
        assert_eq!(reader.draft(&id).await.unwrap().id, id);
        let named = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            reader.all_organizations(),
        )
        .await
        .expect("the directory is reloaded on the reader's own connection")
        .unwrap();
        assert!(named.iter().any(|o| o.code == "KAZ"));
        assert_eq!(
            reader.organization_kind("SCO").await.unwrap(),
            Some(OrgKind::Counterpart)
        );
    }

    #[tokio::test]
    async fn list_totals_come_from_the_counts_the_database_keeps() {
        let store = fresh_store().await;
        let engine = Engine::new(store.clone());
        let circulated = create(&engine, &["CICA", "SCO"]).await;
        let withdrawn = create(&engine, &["CICA"]).await;
        let _drafting = create(&engine, &["CICA", "SCO"]).await;
        engine
            .execute(
                &officer(),
                Command::CirculateDraft {
                    draft_id: circulated,
                    series: NoteSeries::parse("PAR").unwrap(),
                    subject: None,
                    references: vec![],
                    comments_due_on: None,
                },
            )
            .await
            .unwrap();
        engine
            .execute(
                &officer(),
                Command::WithdrawDraft {
                    draft_id: withdrawn,
                    reason: "Superseded.".into(),
                },
            )
            .await
            .unwrap();
        let (kept, counted) = kept_and_counted(&store).await;
        assert_eq!(kept, counted);
        assert_eq!(kept.iter().map(|(_, _, n)| n).sum::<i64>(), 3);

        let reader = |org: &str, kind: OrgKind, role: Role| {
            let actor = Actor::new(
                "someone",
                "Someone",
                OrgCode::parse(org).unwrap(),
                kind,
                [role],
            )
            .unwrap();
            Reader::new(store.clone(), actor)
        };
        let total = |reader: Reader, state: Option<DraftState>| async move {
            let window = Window::forward(100, None).unwrap();
            let page = reader.drafts(state, &window).await.unwrap();
            assert_eq!(page.total_count, page.nodes.len() as u64);
            page.total_count
        };
        let secretariat = || reader("CICA", OrgKind::Secretariat, Role::Secretariat);
        let delegate = || reader("KAZ", OrgKind::MemberState, Role::Delegate);
        let counterpart = || reader("SCO", OrgKind::Counterpart, Role::Counterpart);
        assert_eq!(total(secretariat(), None).await, 3);
        assert_eq!(total(secretariat(), Some(DraftState::Withdrawn)).await, 1);
        assert_eq!(total(delegate(), None).await, 1);
        assert_eq!(total(delegate(), Some(DraftState::Drafting)).await, 0);
        // SCO sees the circulated draft and the uncirculated one it signs.
        assert_eq!(total(counterpart(), None).await, 2);
        assert_eq!(total(counterpart(), Some(DraftState::Drafting)).await, 1);
    }
}
