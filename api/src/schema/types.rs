//! Output types. Each wraps a read model from `workflow::read`; resolvers
//! only shape data, and every relation goes through the request's loaders.
//!
//! The objects a response holds by the hundred (organisations, people,
//! versions, items, comments, signatures, history entries) are `serial`:
//! their fields hand back what the object holds, and at most one of them
//! waits for a loader, so they are resolved one after another rather than
//! through a set of concurrent futures per object, which cost about a tenth
//! of a `Draft` request's CPU. Lists of them are still resolved side by
//! side, so their loaders still batch.

use std::sync::Arc;

use accord_workflow::read::{
    CommentView, HistoryView, ItemView, OrgView, SignatureView, VersionView,
};
use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::common::{load, reader};
use super::enums::{
    ChangeKind, CommentKind, CommentStatus, DraftAction, DraftState, Lang, OrganizationKind,
    ProposalOperation, RenderFormat, Role,
};
use super::loaders::{CommentsOf, DecisionOf, HistoryOf, ItemsOf, MeetingsOf, NotesOf, VersionsOf};
use super::objects::{Decision, Draft, Meeting, Note};
use super::routes::{Route, RouteStage};
use super::scalars::DateTime;
use crate::error::{GqlResult, internal};

pub(crate) fn text_in(texts: &accord_domain::Texts, lang: Option<Lang>) -> String {
    texts
        .pick(lang.map(Into::into))
        .map_or_else(|| texts.first().to_owned(), str::to_owned)
}

/// A text in one language.
#[derive(SimpleObject, Debug, Clone)]
pub struct LocalizedText {
    /// The language.
    pub lang: Lang,
    /// The text.
    pub text: String,
}

pub(crate) fn localized(texts: &accord_domain::Texts) -> Vec<LocalizedText> {
    texts
        .iter()
        .map(|(lang, text)| LocalizedText {
            lang: lang.into(),
            text: text.to_owned(),
        })
        .collect()
}

/// An organisation: a secretariat, a member state or an observer; a place
/// in the store's directory (reference data held in memory), so naming an
/// organisation costs neither a statement nor a copy.
#[derive(Debug, Clone)]
pub struct Organization {
    all: Arc<[OrgView]>,
    at: usize,
}

impl Organization {
    /// The organisation with `code` in `all` (sorted by code, as the store
    /// keeps it).
    pub(crate) fn find(all: &Arc<[OrgView]>, code: &str) -> Option<Organization> {
        accord_workflow::store::organization_at(all, code).map(|at| Organization {
            all: Arc::clone(all),
            at,
        })
    }

    /// Every organisation of `all`, in its order.
    pub(crate) fn every(all: &Arc<[OrgView]>) -> Vec<Organization> {
        (0..all.len())
            .map(|at| Organization {
                all: Arc::clone(all),
                at,
            })
            .collect()
    }

    fn view(&self) -> &OrgView {
        // `at` is an index into `all` by construction (`find`, `every`).
        &self.all[self.at]
    }
}

/// An organisation: a secretariat, a member state or an observer.
#[Object(serial)]
impl Organization {
    /// Its code: `CICA`, `SCO`, or an ISO 3166-1 alpha-3 code.
    async fn code(&self) -> &str {
        &self.view().code
    }

    /// What kind of organisation it is.
    async fn kind(&self) -> Result<OrganizationKind> {
        let kind = self.view().kind.parse::<accord_domain::OrgKind>().gql()?;
        Ok(kind.into())
    }

    /// Its name in English.
    async fn name(&self) -> &str {
        &self.view().name
    }
}

/// Looks up an organisation that must exist.
pub(crate) async fn organization(ctx: &Context<'_>, code: &str) -> Result<Organization> {
    let all = reader(ctx)?.all_organizations().await.gql()?;
    Organization::find(&all, code)
        .ok_or_else(|| internal(&format!("organisation {code} is referenced but missing")))
}

/// The person making the request.
#[derive(Debug, Clone)]
pub struct Viewer;

/// The person making the request, as their token says.
#[Object]
impl Viewer {
    /// The token's `sub`.
    async fn id(&self, ctx: &Context<'_>) -> Result<ID> {
        Ok(ID(reader(ctx)?.actor().sub().to_owned()))
    }

    /// The token's `name`.
    async fn name(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(reader(ctx)?.actor().name().to_owned())
    }

    /// The token's roles.
    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<Role>> {
        Ok(reader(ctx)?
            .actor()
            .roles()
            .iter()
            .map(|r| (*r).into())
            .collect())
    }

    /// The organisation the person acts for.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Organization> {
        let code = reader(ctx)?.actor().org().to_string();
        organization(ctx, &code).await
    }
}

/// A person who acted (from the audit trail or a signature).
#[derive(Debug, Clone)]
pub struct Person {
    /// The person's id (token `sub`).
    pub sub: String,
    /// The name at the time.
    pub name: String,
    /// The organisation acted for.
    pub org: String,
}

/// A person who acted, as recorded at the time.
#[Object(serial)]
impl Person {
    /// The person's id (the token's `sub`).
    async fn id(&self) -> ID {
        ID(self.sub.clone())
    }

    /// The name the person had when acting.
    async fn name(&self) -> &str {
        &self.name
    }

    /// The organisation the person acted for.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization(ctx, &self.org).await
    }
}

/// The versions of draft `id` up to `latest`, shared by every field that
/// asks in one request.
async fn versions_of(ctx: &Context<'_>, id: &str, latest: i32) -> Result<Arc<[VersionView]>> {
    Ok(load(ctx, VersionsOf(id.to_owned(), latest))
        .await?
        .unwrap_or_else(|| Arc::from(Vec::new())))
}

impl Draft {
    async fn version_list(&self, ctx: &Context<'_>) -> Result<Arc<[VersionView]>> {
        versions_of(ctx, &self.0.id, self.0.current_version).await
    }

    async fn version_number(&self, ctx: &Context<'_>, number: i32) -> Result<Option<Version>> {
        Ok(self
            .version_list(ctx)
            .await?
            .iter()
            .find(|v| v.number == number)
            .cloned()
            .map(Version))
    }
}

/// A joint document on its way from first draft to signature.
#[Object]
impl Draft {
    /// The draft's id.
    pub(crate) async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// The kind of document, e.g. `ACTION_PLAN`.
    async fn kind(&self) -> &str {
        &self.0.kind
    }

    /// Where the draft is in its life.
    async fn state(&self) -> DraftState {
        self.0.state.into()
    }

    /// The title in `lang`, else English, else the first language given.
    async fn title(
        &self,
        #[graphql(
            desc = "The language wanted; English when absent or when there is no title in it."
        )]
        lang: Option<Lang>,
    ) -> String {
        text_in(&self.0.title, lang)
    }

    /// The title in every language given.
    async fn titles(&self) -> Vec<LocalizedText> {
        localized(&self.0.title)
    }

    /// The organisations whose Secretaries General must sign, in order.
    async fn signatories(&self, ctx: &Context<'_>) -> Result<Vec<Organization>> {
        let mut out = Vec::with_capacity(self.0.signatories.len());
        for code in &self.0.signatories {
            out.push(organization(ctx, code).await?);
        }
        Ok(out)
    }

    /// The route version the draft started on, which it keeps.
    async fn route(&self, ctx: &Context<'_>) -> Result<Route> {
        // Batched: a page of drafts reads its routes in one statement.
        load(ctx, super::loaders::RouteById(self.0.route_id.clone()))
            .await?
            .map(Route)
            .ok_or_else(|| internal(&format!("draft {} names a missing route", self.0.id)))
    }

    /// The stage of its route the draft reached last; null while it is
    /// being drafted. A withdrawn draft keeps the stage it was withdrawn at.
    async fn stage(&self) -> Option<RouteStage> {
        let key = self.0.stage.as_deref()?;
        self.0.route.stage(key).cloned().map(RouteStage)
    }

    /// The stages its route leads to from here; empty once signed,
    /// withdrawn or at the end of its route.
    async fn next_stages(&self) -> Vec<RouteStage> {
        if self.0.state.is_final() {
            return Vec::new();
        }
        self.0
            .route
            .next(self.0.stage.as_deref())
            .into_iter()
            .cloned()
            .map(RouteStage)
            .collect()
    }

    /// What the viewer may do to this draft now.
    async fn viewer_actions(&self, ctx: &Context<'_>) -> Result<Vec<DraftAction>> {
        Ok(reader(ctx)?
            .viewer_actions(&self.0)
            .await
            .gql()?
            .into_iter()
            .filter_map(DraftAction::of)
            .collect())
    }

    /// The latest version the viewer may see (member states see the last
    /// circulated one).
    async fn current_version(&self, ctx: &Context<'_>) -> Result<Version> {
        self.version_number(ctx, self.0.current_version)
            .await?
            .ok_or_else(|| internal(&format!("draft {} lacks its current version", self.0.id)))
    }

    /// The version agreed by the SOC, whose hash is signed.
    async fn agreed_version(&self, ctx: &Context<'_>) -> Result<Option<Version>> {
        match self.0.agreed_version {
            Some(number) => self.version_number(ctx, number).await,
            None => Ok(None),
        }
    }

    /// Every version the viewer may see, oldest first.
    async fn versions(&self, ctx: &Context<'_>) -> Result<Vec<Version>> {
        Ok(self
            .version_list(ctx)
            .await?
            .iter()
            .cloned()
            .map(Version)
            .collect())
    }

    /// The comments and proposals the viewer may read, oldest first.
    async fn comments(&self, ctx: &Context<'_>) -> Result<Vec<Comment>> {
        let comments = load(ctx, CommentsOf(self.0.id.clone(), self.0.facts.relation));
        // Asked for each comment's version, the versions are loaded once
        // beside the comments and handed to every comment, rather than
        // looked up through the loader once per comment.
        let (list, versions) = if ctx.look_ahead().field("version").exists() {
            let (list, versions) = tokio::try_join!(comments, self.version_list(ctx))?;
            (list, Some(versions))
        } else {
            (comments.await?, None)
        };
        Ok(list
            .unwrap_or_default()
            .into_iter()
            .map(|c| Comment {
                versions: versions.clone(),
                ..Comment::new(c, self.0.current_version)
            })
            .collect())
    }

    /// The notes verbales that circulated it, oldest first.
    async fn notes(&self, ctx: &Context<'_>) -> Result<Vec<Note>> {
        Ok(load(ctx, NotesOf(self.0.id.clone()))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Note::new)
            .collect())
    }

    /// The meetings that had it on their agenda, by date.
    async fn meetings(&self, ctx: &Context<'_>) -> Result<Vec<Meeting>> {
        Ok(load(ctx, MeetingsOf(self.0.id.clone()))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Meeting::basic)
            .collect())
    }

    /// The SOC decision that agreed it.
    async fn decision(&self, ctx: &Context<'_>) -> Result<Option<Decision>> {
        Ok(load(ctx, DecisionOf(self.0.id.clone()))
            .await?
            .map(Decision::basic))
    }

    /// Signatures so far.
    async fn signatures(&self) -> Vec<Signature> {
        self.0.signatures.iter().cloned().map(Signature).collect()
    }

    /// The signature copy in `lang`: the agreed text as the Secretaries
    /// General sign it, in the layout of PAR/713's copy — one column per
    /// signing organisation ("APPROVED" / "УТВЕРЖДАЮ" / "БЕКІТЕМІН", the
    /// line to sign on, the signatory's name, their title and organisation
    /// as that organisation writes them, and the date once signed), then
    /// the title and the agreed version's items, and at the foot the
    /// deciding SOC decision, the version and its content hash. As an HTML
    /// document that prints on A4, or as plain text. Only for a draft whose
    /// text is agreed (`SOC_AGREED` or `SIGNED`), else
    /// `INVALID_TRANSITION`; a text missing in `lang` is `BAD_USER_INPUT`
    /// naming it.
    async fn signature_copy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language of the copy.")] lang: Lang,
        #[graphql(desc = "`HTML` (a page that prints on A4) or `TEXT`.")] format: RenderFormat,
    ) -> Result<String> {
        reader(ctx)?
            .render_signature_copy(&self.0, lang.into(), format.into())
            .await
            .gql()
    }

    /// Where the signature copy's print-ready PDF in `lang` is served (`GET`
    /// with the same bearer token):
    /// `/print/drafts/<id>/signature-copy.pdf?lang=<lang>`.
    async fn signature_copy_pdf_path(
        &self,
        #[graphql(desc = "The language of the copy.")] lang: Lang,
    ) -> String {
        crate::print::paths::signature_copy_path(&self.0.id, lang.into())
    }

    /// What happened to it, from the audit log.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<HistoryEntry>> {
        Ok(
            load(ctx, HistoryOf(self.0.id.clone(), self.0.facts.relation))
                .await?
                .unwrap_or_default()
                .into_iter()
                .map(HistoryEntry)
                .collect(),
        )
    }

    /// The compilation of proposals on a version, grouped by item.
    async fn compilation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The version whose proposals are compiled; the current one when absent.")]
        version: i32,
    ) -> Result<Vec<CompilationEntry>> {
        let rows = reader(ctx)?.compilation(&self.0, version).await.gql()?;
        Ok(rows
            .into_iter()
            .map(|row| CompilationEntry {
                anchor: row.anchor,
                proposals: row
                    .proposals
                    .into_iter()
                    .map(|c| Comment::new(c, self.0.current_version))
                    .collect(),
            })
            .collect())
    }

    /// The member states' stances on `version` (default: the latest this
    /// viewer sees, the one under consideration): for the Secretariat and
    /// party counterparts one line per member state, those that have not
    /// answered too; for a member state its own line; for others none.
    async fn stances(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The version the stances are on; the last circulated one when absent.")]
        version: Option<i32>,
    ) -> Result<Vec<super::stances::StanceLine>> {
        super::stances::stances(ctx, &self.0, version).await
    }

    /// The silence procedures run on it, oldest first: when each period
    /// ends, and whether a member state broke the silence or the text was
    /// deemed agreed.
    async fn silence_procedures(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::silence::SilenceProcedure>> {
        super::silence::procedures(ctx, &self.0).await
    }

    /// The compilations of proposals circulated so far, by version.
    async fn circulated_compilations(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::stances::CirculatedCompilation>> {
        super::stances::circulated_compilations(ctx, &self.0).await
    }

    /// The item-by-item difference between two versions.
    async fn diff(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The earlier version's number.")] from: i32,
        #[graphql(desc = "The later version's number.")] to: i32,
    ) -> Result<Vec<ItemChange>> {
        Ok(reader(ctx)?
            .diff(&self.0, from, to)
            .await
            .gql()?
            .into_iter()
            .map(|c| ItemChange {
                anchor: c.anchor.to_string(),
                change: c.change.into(),
                lang: c.lang.map(Into::into),
                before: c.before,
                after: c.after,
            })
            .collect())
    }

    /// Why it was withdrawn.
    async fn withdrawn_reason(&self) -> Option<&str> {
        self.0.withdrawn_reason.as_deref()
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// An immutable version of a draft.
#[derive(Debug, Clone)]
pub struct Version(pub VersionView);

/// An immutable version of a draft.
#[Object(serial)]
impl Version {
    /// 1, 2, … in order of creation.
    async fn number(&self) -> i32 {
        self.0.number
    }

    /// SHA-256 (lower-case hex) of the canonical form of its items; see
    /// ARCHITECTURE.md to recompute it.
    async fn content_hash(&self) -> &str {
        &self.0.content_hash
    }

    /// What changed from the previous version.
    async fn change_summary(&self) -> Option<&str> {
        self.0.change_summary.as_deref()
    }

    /// When it was made.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// Its items, in order.
    async fn items(&self, ctx: &Context<'_>) -> Result<Vec<DraftItem>> {
        Ok(load(ctx, ItemsOf(self.0.draft_id.clone(), self.0.number))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(DraftItem)
            .collect())
    }
}

/// A paragraph or table row of a version.
#[derive(Debug, Clone)]
pub struct DraftItem(pub ItemView);

/// A paragraph or table row; its anchor is stable across versions.
#[Object(name = "Item", serial)]
impl DraftItem {
    /// The stable anchor, e.g. `item-3`.
    async fn anchor(&self) -> &str {
        &self.0.anchor
    }

    /// The text in `lang`, else English, else the first language given.
    async fn text(
        &self,
        #[graphql(
            desc = "The language wanted; English when absent, or when the text lacks that language."
        )]
        lang: Option<Lang>,
    ) -> String {
        text_in(&self.0.texts, lang)
    }

    /// The text in every language given.
    async fn texts(&self) -> Vec<LocalizedText> {
        localized(&self.0.texts)
    }
}

/// A comment, or a proposal carrying amended text.
#[derive(Debug, Clone)]
pub struct Comment {
    view: Arc<CommentView>,
    current_version: i32,
    /// The draft's versions, when already loaded for every comment.
    versions: Option<Arc<[VersionView]>>,
}

impl Comment {
    /// Wraps a comment seen on a draft whose current version (for the
    /// viewer) is `current_version`.
    pub fn new(view: impl Into<Arc<CommentView>>, current_version: i32) -> Comment {
        Comment {
            view: view.into(),
            current_version,
            versions: None,
        }
    }
}

/// The amendment a proposal carries.
#[derive(SimpleObject, Debug, Clone)]
pub struct ProposalText {
    /// What it does to the item.
    pub operation: ProposalOperation,
    /// The proposed text, unless deleting.
    pub texts: Vec<LocalizedText>,
}

/// A comment, or a proposal carrying amended text.
#[Object(serial)]
impl Comment {
    /// The comment's id.
    pub(crate) async fn id(&self) -> ID {
        ID(self.view.id.clone())
    }

    /// Comment or proposal.
    async fn kind(&self) -> CommentKind {
        self.view.kind.into()
    }

    /// Open, its disposition, or withdrawn.
    async fn status(&self) -> CommentStatus {
        self.view.status.into()
    }

    /// The item commented on; absent for the draft as a whole.
    async fn anchor(&self) -> Option<&str> {
        self.view.anchor.as_deref()
    }

    /// The text.
    async fn body(&self) -> &str {
        &self.view.body
    }

    /// Whether it was made on an older version than the current one.
    async fn outdated(&self) -> bool {
        self.view.version < self.current_version
    }

    /// The version commented on.
    async fn version(&self, ctx: &Context<'_>) -> Result<Version> {
        let versions = match &self.versions {
            Some(versions) => Arc::clone(versions),
            None => versions_of(ctx, &self.view.draft_id, self.current_version).await?,
        };
        versions
            .iter()
            .find(|v| v.number == self.view.version)
            .cloned()
            .map(Version)
            .ok_or_else(|| internal(&format!("comment {} is on a missing version", self.view.id)))
    }

    /// The organisation it speaks for (always the author's own).
    async fn organization(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization(ctx, &self.view.org_code).await
    }

    /// Who wrote it.
    async fn author(&self) -> Person {
        Person {
            sub: self.view.author_sub.clone(),
            name: self.view.author_name.clone(),
            org: self.view.org_code.clone(),
        }
    }

    /// The amendment, for a proposal.
    async fn proposal(&self) -> Option<ProposalText> {
        self.view.operation.map(|operation| ProposalText {
            operation: operation.into(),
            texts: self
                .view
                .proposal_texts
                .as_ref()
                .map(localized)
                .unwrap_or_default(),
        })
    }

    /// The Secretariat's reply.
    async fn reply(&self) -> Option<&str> {
        self.view.reply.as_deref()
    }

    /// The version that accommodated it.
    async fn accommodated_in_version(&self) -> Option<i32> {
        self.view.accommodated_in_version
    }

    /// When it was made.
    async fn created_at(&self) -> DateTime {
        DateTime(self.view.created_at)
    }
}

/// The proposals on one item.
#[derive(SimpleObject, Debug, Clone)]
pub struct CompilationEntry {
    /// The item's anchor.
    pub anchor: String,
    /// Its proposals, oldest first.
    pub proposals: Vec<Comment>,
}

/// One change between two versions, per item and language.
#[derive(SimpleObject, Debug, Clone)]
pub struct ItemChange {
    /// The item's anchor.
    pub anchor: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// The language whose text differs.
    pub lang: Option<Lang>,
    /// The text before.
    pub before: Option<String>,
    /// The text after.
    pub after: Option<String>,
}

/// A Secretary General's signature.
#[derive(Debug, Clone)]
pub struct Signature(pub SignatureView);

/// A Secretary General's signature on the agreed text.
#[Object(serial)]
impl Signature {
    /// The organisation signed for.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Organization> {
        organization(ctx, &self.0.org_code).await
    }

    /// The signer.
    async fn signer(&self) -> Person {
        Person {
            sub: self.0.signer_sub.clone(),
            name: self.0.signer_name.clone(),
            org: self.0.org_code.clone(),
        }
    }

    /// The content hash signed.
    async fn content_hash(&self) -> &str {
        &self.0.content_hash
    }

    /// When.
    async fn signed_at(&self) -> DateTime {
        DateTime(self.0.signed_at)
    }

    /// For a signature made under a delegation, the Secretary General
    /// signed for; null when they signed themselves.
    async fn acting_for(&self) -> Option<&str> {
        self.0.acting.as_ref().map(|(name, _)| name.as_str())
    }

    /// For a signature made under a delegation, the signer's acting title
    /// in `lang` (else English).
    async fn acting_title(
        &self,
        #[graphql(desc = "The language wanted; English when absent or missing.")] lang: Option<
            Lang,
        >,
    ) -> Option<String> {
        self.0
            .acting
            .as_ref()
            .map(|(_, title)| text_in(title, lang))
    }

    /// How the signature reads: the signer's name, or under a delegation
    /// "for the Secretary General Kairat Sarybay, Askar Zhumabayev,
    /// Acting Secretary General".
    async fn signed_as(
        &self,
        #[graphql(desc = "The language wanted; English when absent.")] lang: Option<Lang>,
    ) -> String {
        match &self.0.acting {
            None => self.0.signer_name.clone(),
            Some((for_name, title)) => {
                let title = text_in(title, lang);
                let signer = &self.0.signer_name;
                match lang.map(Into::into) {
                    Some(accord_domain::Lang::Ru) => {
                        format!("за Генерального секретаря ({for_name}) {signer}, {title}")
                    }
                    Some(accord_domain::Lang::Kk) => {
                        format!("Бас хатшының атынан ({for_name}) {signer}, {title}")
                    }
                    _ => format!("for the Secretary General {for_name}, {signer}, {title}"),
                }
            }
        }
    }
}

/// One line of a draft's history.
#[derive(Debug, Clone)]
pub struct HistoryEntry(pub Arc<HistoryView>);

/// One line of a draft's history, from the audit log.
#[Object(serial)]
impl HistoryEntry {
    /// What was done, e.g. `CIRCULATE`.
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The state before.
    async fn from_state(&self) -> Option<DraftState> {
        self.0.from_state.map(Into::into)
    }

    /// The state after.
    async fn to_state(&self) -> Option<DraftState> {
        self.0.to_state.map(Into::into)
    }

    /// When.
    async fn at(&self) -> Result<DateTime> {
        let at = accord_workflow::clock::parse_stamp(&self.0.at, "a history entry's time").gql()?;
        Ok(DateTime(at))
    }

    /// Who.
    async fn actor(&self) -> Person {
        Person {
            sub: self.0.actor_sub.clone(),
            name: self.0.actor_name.clone(),
            org: self.0.actor_org.clone(),
        }
    }
}
