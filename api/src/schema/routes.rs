//! Routes as data: the road each kind of document takes through the
//! bodies, read by everyone and defined and published by the Secretariat
//! or an administrator (`accord_workflow::routes`).

use accord_domain::{RouteDefinition, Signatories, SignatureRule, Stage, StageKind as Does};
use accord_workflow::routes::{NewRoute, RouteView};
use accord_workflow::{Command, Outcome};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};

use super::common::{reader, run, unexpected};
use super::enums::{DraftState, Role};
use super::scalars::DateTime;
use crate::error::{Code, GqlResult, coded};

/// What a body's decision does to the text.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::DecisionVerb")]
pub enum DecisionVerb {
    /// The body agrees the text (the SOC agrees a joint document).
    Agree,
    /// The body adopts the text (the Ministerial Council adopts a
    /// declaration).
    Adopt,
    /// The body approves the text (the SOC approves a Plan of
    /// Implementation).
    Approve,
}

/// The kinds of stage a route is made of.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_domain::StageKindName")]
pub enum StageKind {
    /// Circulation to the member states by note verbale, for comments and
    /// amendments.
    Circulation,
    /// Consideration by a body at a meeting, without a decision (the SWG).
    Consideration,
    /// A numbered decision of a body at a meeting (agreement, adoption or
    /// approval); the text is frozen from then on.
    Decision,
    /// Agreement by silence procedure between meetings.
    Silence,
    /// Signature of the agreed text.
    Signature,
}

/// Whether a route version is in force.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "accord_workflow::routes::RouteStatus")]
pub enum RouteStatus {
    /// Written and checked, not in force: no draft starts on it.
    Draft,
    /// In force for the new drafts of its kind until a later version is
    /// published.
    Published,
}

/// A route version, as read.
pub struct Route(pub(crate) RouteView);

/// One version of the road a kind of document takes: its stages, in
/// order. A draft keeps the version it started on.
#[Object]
impl Route {
    /// The version's id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// The document kind it is for, e.g. `DECLARATION`; null for the
    /// default route, which every kind without a route of its own takes.
    async fn document_kind(&self) -> Option<&str> {
        self.0.document_kind.as_deref()
    }

    /// The version number, from 1 for each kind.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Whether it is in force.
    async fn status(&self) -> RouteStatus {
        self.0.status.into()
    }

    /// The stages, the first being where a draft's road begins.
    async fn stages(&self) -> Vec<RouteStage> {
        self.0
            .route
            .stages()
            .iter()
            .cloned()
            .map(RouteStage)
            .collect()
    }

    /// Who defined it (the token's subject).
    async fn defined_by(&self) -> &str {
        &self.0.created_by
    }

    /// When it was defined.
    async fn defined_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When it was published; null while it is not.
    async fn published_at(&self) -> Option<DateTime> {
        self.0.published_at.map(DateTime)
    }
}

/// A stage, as read.
#[derive(Clone)]
pub struct RouteStage(pub(crate) Stage);

/// A stage of a route: what happens there and which stages may follow.
#[Object]
impl RouteStage {
    /// Its key, unique in the route, e.g. `soc`.
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// What happens at it.
    async fn kind(&self) -> StageKind {
        self.0.kind.name().into()
    }

    /// The state a draft at this stage is in.
    async fn state(&self) -> DraftState {
        self.0.state().into()
    }

    /// The body acting at it (consideration, decision, silence), e.g.
    /// `SOC`; null otherwise.
    async fn body(&self) -> Option<&str> {
        self.0.kind.body()
    }

    /// What the decision does; null but for a decision.
    async fn verb(&self) -> Option<DecisionVerb> {
        match &self.0.kind {
            Does::Decision { verb, .. } => Some((*verb).into()),
            _ => None,
        }
    }

    /// The organisations that sign at a signature stage; null when each
    /// party named among the draft's signatories signs (and but for a
    /// signature).
    async fn signatories(&self) -> Option<Vec<String>> {
        match &self.0.kind {
            Does::Signature {
                signatories: Signatories::Named { orgs },
                ..
            } => Some(orgs.clone()),
            _ => None,
        }
    }

    /// The role that signs for each organisation; null but for a
    /// signature.
    async fn signing_role(&self) -> Option<Role> {
        match &self.0.kind {
            Does::Signature { role, .. } => Some((*role).into()),
            _ => None,
        }
    }

    /// How many signatures complete a signature stage (N of M); null when
    /// every signatory signs (and but for a signature).
    async fn signatures_required(&self) -> Option<i32> {
        match &self.0.kind {
            Does::Signature {
                rule: SignatureRule::AtLeast { count },
                ..
            } => i32::try_from(*count).ok(),
            _ => None,
        }
    }

    /// The keys of the stages a draft may go on to from this one; empty
    /// where the route ends.
    async fn next(&self) -> &[String] {
        &self.0.next
    }
}

/// A stage of a new route. Which fields a stage takes depends on its
/// kind; a field its kind does not take is refused.
#[derive(InputObject, Debug, Clone)]
pub struct RouteStageInput {
    /// Its key, unique in the route: 1 to 32 lower-case letters, digits or
    /// hyphens, starting with a letter, e.g. `mc`.
    pub key: String,
    /// What happens at it.
    pub kind: StageKind,
    /// The acting body's code, for a consideration, decision or silence,
    /// e.g. `MC`.
    pub body: Option<String>,
    /// What the decision does; for a decision only.
    pub verb: Option<DecisionVerb>,
    /// The organisations that sign, for a signature stage; when absent,
    /// each party named among the draft's signatories signs.
    pub signatories: Option<Vec<String>>,
    /// The role that signs for each organisation, for a signature stage;
    /// `SECRETARY_GENERAL` when absent.
    pub signing_role: Option<Role>,
    /// How many signatures complete a signature stage (N of M); every
    /// signatory when absent.
    pub signatures_required: Option<i32>,
    /// The keys of the stages a draft may go on to from this one; none
    /// where the route ends.
    #[graphql(default)]
    pub next: Vec<String>,
}

impl RouteStageInput {
    /// The stage, or why the fields do not make one.
    fn stage(self) -> Result<Stage> {
        let key = self.key;
        let refuse = |what: &str| coded(Code::BadUserInput, format!("stage {key:?}: {what}"));
        let kind = self.kind;
        let not_for = |field: &str| refuse(&format!("a {} stage takes no {field}", name(kind)));
        let is_signature = kind == StageKind::Signature;
        if !is_signature {
            if self.signatories.is_some() {
                return Err(not_for("signatories"));
            }
            if self.signing_role.is_some() {
                return Err(not_for("signingRole"));
            }
            if self.signatures_required.is_some() {
                return Err(not_for("signaturesRequired"));
            }
        }
        if kind != StageKind::Decision && self.verb.is_some() {
            return Err(not_for("verb"));
        }
        let body = || {
            self.body
                .clone()
                .ok_or_else(|| refuse(&format!("a {} stage names its body", name(kind))))
        };
        let stage_kind = match kind {
            StageKind::Circulation | StageKind::Signature if self.body.is_some() => {
                return Err(not_for("body"));
            }
            StageKind::Circulation => Does::Circulation,
            StageKind::Consideration => Does::Consideration { body: body()? },
            StageKind::Silence => Does::Silence { body: body()? },
            StageKind::Decision => Does::Decision {
                body: body()?,
                verb: self
                    .verb
                    .ok_or_else(|| {
                        refuse("a DECISION stage says its verb (AGREE, ADOPT, APPROVE)")
                    })?
                    .into(),
            },
            StageKind::Signature => Does::Signature {
                signatories: match self.signatories {
                    None => Signatories::Parties,
                    Some(orgs) => Signatories::Named { orgs },
                },
                role: self.signing_role.unwrap_or(Role::SecretaryGeneral).into(),
                rule: match self.signatures_required {
                    None => SignatureRule::All,
                    Some(count) => SignatureRule::AtLeast {
                        count: u32::try_from(count)
                            .map_err(|_| refuse("signaturesRequired is at least 1"))?,
                    },
                },
            },
        };
        Ok(Stage {
            key,
            kind: stage_kind,
            next: self.next,
        })
    }
}

/// The kind's name as the schema spells it.
fn name(kind: StageKind) -> &'static str {
    accord_domain::StageKindName::from(kind).as_str()
}

/// A new version of a document kind's route, checked when written and
/// again when published.
#[derive(InputObject, Debug, Clone)]
pub struct DefineRouteInput {
    /// The document kind it is for, e.g. `DECLARATION`; absent for a new
    /// version of the default route.
    pub document_kind: Option<String>,
    /// The stages, the first being where a draft's road begins.
    pub stages: Vec<RouteStageInput>,
}

/// The route version to put in force.
#[derive(InputObject, Debug, Clone)]
pub struct PublishRouteInput {
    /// The version's id, as `defineRoute` gave it.
    pub route_id: ID,
}

/// A route version after a change.
#[derive(SimpleObject)]
pub struct RoutePayload {
    /// The version as it is now.
    pub route: Route,
}

/// The routes queries.
#[derive(Debug, Default)]
pub struct RoutesQuery;

#[Object]
impl RoutesQuery {
    /// Every version of every route (or of one kind's), by kind and
    /// version: what a draft of each kind goes through.
    async fn routes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only the versions of this document kind's route, e.g. `DECLARATION`; every route when absent."
        )]
        document_kind: Option<String>,
    ) -> Result<Vec<Route>> {
        Ok(reader(ctx)?
            .routes(document_kind.as_deref())
            .await
            .gql()?
            .into_iter()
            .map(Route)
            .collect())
    }

    /// One route version; `NOT_FOUND` if it does not exist.
    async fn route(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The version's id.")] id: ID,
    ) -> Result<Route> {
        route(ctx, &id).await
    }
}

/// One route version, as read.
pub(crate) async fn route(ctx: &Context<'_>, id: &str) -> Result<Route> {
    Ok(Route(reader(ctx)?.route(id).await.gql()?))
}

/// The routes mutations.
#[derive(Debug, Default)]
pub struct RoutesMutation;

#[Object]
impl RoutesMutation {
    /// Write a new version of a document kind's route, checked against
    /// today's bodies and organisations; not in force until published
    /// (Secretariat, administrators).
    async fn define_route(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: DefineRouteInput,
    ) -> Result<RoutePayload> {
        let stages = input
            .stages
            .into_iter()
            .map(RouteStageInput::stage)
            .collect::<Result<Vec<_>>>()?;
        let command = Command::DefineRoute(NewRoute {
            document_kind: input.document_kind,
            definition: RouteDefinition { stages },
        });
        routed(ctx, run(ctx, command).await?).await
    }

    /// Put a route version in force for the drafts of its kind created
    /// from now on, after checking it again; drafts already started keep
    /// their version (Secretariat, administrators).
    async fn publish_route(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: PublishRouteInput,
    ) -> Result<RoutePayload> {
        let command = Command::PublishRoute {
            route_id: input.route_id.to_string(),
        };
        routed(ctx, run(ctx, command).await?).await
    }
}

/// The payload of a route command.
async fn routed(ctx: &Context<'_>, outcome: Outcome) -> Result<RoutePayload> {
    match outcome {
        Outcome::Route { route_id } => Ok(RoutePayload {
            route: route(ctx, &route_id).await?,
        }),
        other => Err(unexpected(&other)),
    }
}
