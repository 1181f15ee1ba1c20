//! Routes: the road a kind of document takes from drafting to its end,
//! written as data and checked before it is used.
//!
//! A route is a list of stages. Each stage has a key, a kind (circulation
//! to the member states, consideration by a body at a meeting, a numbered
//! decision of a body, agreement by silence procedure, signature) and the
//! stages a draft may move on to from it (`next`). A draft starts in
//! drafting, before the route's first stage, and stands at the last stage
//! it reached; [`Stage::state`] is the [`DraftState`] that stage shows.
//!
//! [`RouteDefinition::validate`] refuses a route the engine could not
//! follow, with the reason ([`RouteError`]): every stage reachable, no dead
//! end, every end a decision or a signature, the text never changed after a
//! decision freezes it, each stage's body known and each deciding body one
//! that numbers decisions, signatures by known organisations under a rule
//! that can be met. Everything here is pure.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::{DraftState, OrgCode, Role};

string_enum! {
    /// What a body's decision does to the text.
    pub enum DecisionVerb ("decision verb") {
        /// The body agrees the text (the SOC agrees a joint document).
        Agree => "AGREE",
        /// The body adopts the text (the Ministerial Council adopts a
        /// declaration).
        Adopt => "ADOPT",
        /// The body approves the text (the SOC approves a Plan of
        /// Implementation).
        Approve => "APPROVE",
    }
}

string_enum! {
    /// The kinds of stage a route is made of.
    pub enum StageKindName ("stage kind") {
        /// Circulation to the member states for comments.
        Circulation => "CIRCULATION",
        /// Consideration by a body at a meeting, without a decision.
        Consideration => "CONSIDERATION",
        /// A numbered decision of a body at a meeting.
        Decision => "DECISION",
        /// Agreement by silence procedure between meetings.
        Silence => "SILENCE",
        /// Signature by the signatories' Secretaries General.
        Signature => "SIGNATURE",
    }
}

/// What happens at a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
pub enum StageKind {
    /// The Secretariat circulates the text to the member states by note
    /// verbale; delegates comment and propose amendments.
    Circulation,
    /// A body (the SWG) considers the text at a meeting and takes no
    /// decision; the text may still be revised.
    Consideration {
        /// The body's code, e.g. `SWG`.
        body: String,
    },
    /// A body agrees, adopts or approves the text by a numbered decision
    /// taken at a meeting; the text is frozen from then on.
    Decision {
        /// The body's code, e.g. `SOC`.
        body: String,
        /// What the decision does.
        verb: DecisionVerb,
    },
    /// The text is deemed agreed by a body unless a member state breaks
    /// silence before a deadline; if agreed, by a numbered decision of that
    /// body.
    Silence {
        /// The body on whose behalf silence runs, e.g. `SOC`.
        body: String,
    },
    /// The agreed text is signed.
    Signature {
        /// Who signs.
        signatories: Signatories,
        /// The role that signs for each organisation.
        role: Role,
        /// How many signatures complete the stage.
        rule: SignatureRule,
    },
}

impl StageKind {
    /// Signature by the Secretary General of each party named among the
    /// draft's signatories, every one of them: the default route's.
    pub fn signed_by_every_party() -> StageKind {
        StageKind::Signature {
            signatories: Signatories::Parties,
            role: Role::SecretaryGeneral,
            rule: SignatureRule::All,
        }
    }

    /// The kind's name.
    pub fn name(&self) -> StageKindName {
        match self {
            StageKind::Circulation => StageKindName::Circulation,
            StageKind::Consideration { .. } => StageKindName::Consideration,
            StageKind::Decision { .. } => StageKindName::Decision,
            StageKind::Silence { .. } => StageKindName::Silence,
            StageKind::Signature { .. } => StageKindName::Signature,
        }
    }

    /// The body acting at this stage, if any.
    pub fn body(&self) -> Option<&str> {
        match self {
            StageKind::Consideration { body }
            | StageKind::Decision { body, .. }
            | StageKind::Silence { body } => Some(body),
            StageKind::Circulation | StageKind::Signature { .. } => None,
        }
    }

    /// Whether reaching this stage freezes the text: a decision, a silence
    /// passed, a signature.
    pub fn freezes(&self) -> bool {
        self.name().freezes()
    }
}

impl StageKindName {
    /// Whether reaching a stage of this kind freezes the text.
    pub fn freezes(self) -> bool {
        matches!(
            self,
            StageKindName::Decision | StageKindName::Silence | StageKindName::Signature
        )
    }

    /// Whether a route may end at a stage of this kind.
    pub fn may_end(self) -> bool {
        self.freezes()
    }
}

/// The organisations that sign at a signature stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Signatories {
    /// The draft's own signatory organisations (the parties named when it
    /// was created).
    Parties,
    /// These organisations, whatever the draft names.
    Named {
        /// Their codes, e.g. `["CICA", "SCO", "ASEAN"]`.
        orgs: Vec<String>,
    },
}

/// How many signatures complete a signature stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SignatureRule {
    /// Every signatory signs.
    All,
    /// Any `count` of them.
    AtLeast {
        /// How many.
        count: u32,
    },
}

impl SignatureRule {
    /// How many signatures of `of` signatories complete the stage.
    pub fn required(self, of: usize) -> usize {
        match self {
            SignatureRule::All => of,
            SignatureRule::AtLeast { count } => (count as usize).min(of),
        }
    }
}

/// One stage of a route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// The stage's key, unique in its route: 1 to 32 lower-case letters,
    /// digits or hyphens, starting with a letter (`swg`, `mc-adoption`).
    pub key: String,
    /// What happens at it.
    #[serde(flatten)]
    pub kind: StageKind,
    /// The stages a draft may move on to from here; none at an end.
    #[serde(default)]
    pub next: Vec<String>,
}

impl Stage {
    /// A stage keyed `key` of `kind`, leading to the stages keyed `next`.
    pub fn new(key: &str, kind: StageKind, next: &[&str]) -> Stage {
        Stage {
            key: key.to_owned(),
            kind,
            next: next.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    /// The state a draft shows once it has reached this stage (for a
    /// silence procedure: once the text is deemed agreed; while silence
    /// runs it shows `UNDER_SILENCE`).
    pub fn state(&self) -> DraftState {
        match &self.kind {
            StageKind::Circulation => DraftState::Circulated,
            StageKind::Consideration { body } if body == "SWG" => DraftState::SwgDiscussion,
            StageKind::Consideration { .. } => DraftState::UnderConsideration,
            StageKind::Decision { body, verb } => decided(body, *verb),
            StageKind::Silence { body } => decided(body, DecisionVerb::Agree),
            StageKind::Signature { .. } => DraftState::Signed,
        }
    }
}

/// The state a decision of `body` doing `verb` leaves a draft in.
fn decided(body: &str, verb: DecisionVerb) -> DraftState {
    match verb {
        DecisionVerb::Agree if body == "SOC" => DraftState::SocAgreed,
        DecisionVerb::Agree => DraftState::Agreed,
        DecisionVerb::Adopt => DraftState::Adopted,
        DecisionVerb::Approve => DraftState::Approved,
    }
}

/// The most stages a route may have.
pub const MAX_STAGES: usize = 32;

/// A route as written, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteDefinition {
    /// The stages; the first is where a draft goes from drafting.
    pub stages: Vec<Stage>,
}

/// What a route is checked against: the bodies that exist (and whether
/// each numbers decisions) and the organisations that may sign.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteContext {
    /// Each body's code, and whether it takes numbered decisions.
    pub bodies: BTreeMap<String, bool>,
    /// The organisations whose people may sign (secretariats and
    /// counterparts).
    pub signing_orgs: BTreeSet<String>,
}

/// Why a route was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    /// The route has no stage.
    #[error("a route needs at least one stage")]
    NoStages,
    /// The route has more than [`MAX_STAGES`] stages.
    #[error("a route has at most {MAX_STAGES} stages")]
    TooManyStages,
    /// A key is malformed.
    #[error(
        "stage key {0:?} must be 1 to 32 lower-case letters, digits or hyphens, starting with a letter"
    )]
    BadKey(String),
    /// Two stages share a key.
    #[error("two stages have the key {0:?}")]
    DuplicateKey(String),
    /// A stage names a next stage that does not exist.
    #[error("stage {from:?} leads to {to:?}, which is not a stage of the route")]
    UnknownNext {
        /// The stage.
        from: String,
        /// The missing key.
        to: String,
    },
    /// A stage names itself, or the same next stage twice.
    #[error("stage {from:?} names {to:?} twice or leads to itself")]
    RepeatedNext {
        /// The stage.
        from: String,
        /// The repeated key.
        to: String,
    },
    /// A stage's body is not a known body.
    #[error("stage {stage:?} names the body {body:?}, which is not a known body")]
    UnknownBody {
        /// The stage.
        stage: String,
        /// The unknown code.
        body: String,
    },
    /// A deciding stage's body takes no numbered decisions.
    #[error(
        "stage {stage:?} needs a numbered decision of the {body}, which takes no decisions (no decision numbering)"
    )]
    NoDecisionNumbering {
        /// The stage.
        stage: String,
        /// The body.
        body: String,
    },
    /// A signature stage names a role that does not sign.
    #[error("stage {stage:?}: only a Secretary General signs for an organisation, not {role}")]
    SignerRole {
        /// The stage.
        stage: String,
        /// The role named.
        role: Role,
    },
    /// A signature stage names no organisation, or one that cannot sign.
    #[error("stage {stage:?}: {reason}")]
    BadSignatories {
        /// The stage.
        stage: String,
        /// What is wrong.
        reason: String,
    },
    /// A signature rule asks for no signature or more than there are
    /// signatories.
    #[error("stage {stage:?}: {reason}")]
    ImpossibleRule {
        /// The stage.
        stage: String,
        /// What is wrong.
        reason: String,
    },
    /// The first stage is not a circulation.
    #[error(
        "the first stage {0:?} must be a circulation: member states see a text before any body takes it up"
    )]
    FirstNotCirculation(String),
    /// A stage leads to two stages of one kind: an action could not tell
    /// which it means.
    #[error("stage {stage:?} leads to two {kind} stages; an action could not tell which it means")]
    AmbiguousNext {
        /// The stage.
        stage: String,
        /// The kind.
        kind: StageKindName,
    },
    /// A stage that changes the text follows one that froze it.
    #[error(
        "stage {stage:?} ({kind}) follows {after:?}, which freezes the text: after a decision only decisions and signatures follow"
    )]
    AfterFrozen {
        /// The stage.
        stage: String,
        /// Its kind.
        kind: StageKindName,
        /// The freezing stage before it.
        after: String,
    },
    /// A silence procedure entered from something other than a circulation.
    #[error(
        "silence procedure {stage:?} follows {from:?}: silence runs on a text just circulated, and returns to that circulation when broken"
    )]
    SilenceNotAfterCirculation {
        /// The silence stage.
        stage: String,
        /// The stage before it.
        from: String,
    },
    /// A signature stage with a next stage.
    #[error("signature stage {0:?} must end the route")]
    SignatureNotLast(String),
    /// A signature reachable before the text is frozen.
    #[error("signature stage {stage:?} follows {from:?}; only an agreed (frozen) text is signed")]
    SignatureBeforeDecision {
        /// The signature stage.
        stage: String,
        /// The stage before it.
        from: String,
    },
    /// No path from the first stage reaches a stage.
    #[error("stage {0:?} cannot be reached from the first stage")]
    Unreachable(String),
    /// A stage with no next stage is not one a route may end with.
    #[error(
        "stage {stage:?} ({kind}) has no next stage; a route ends with a decision, a silence procedure or a signature"
    )]
    OpenEnd {
        /// The stage.
        stage: String,
        /// Its kind.
        kind: StageKindName,
    },
    /// No path from a stage reaches an end.
    #[error("no path from stage {0:?} reaches an end of the route")]
    DeadEnd(String),
}

impl RouteDefinition {
    /// Checks the route against `context`; the first rule it breaks, in
    /// the order of [`RouteError`]'s variants, is the reason given.
    pub fn validate(self, context: &RouteContext) -> Result<Route, RouteError> {
        let stages = &self.stages;
        let first = stages.first().ok_or(RouteError::NoStages)?;
        if stages.len() > MAX_STAGES {
            return Err(RouteError::TooManyStages);
        }
        let mut index = BTreeMap::new();
        for (i, stage) in stages.iter().enumerate() {
            if !is_key(&stage.key) {
                return Err(RouteError::BadKey(stage.key.clone()));
            }
            if index.insert(stage.key.as_str(), i).is_some() {
                return Err(RouteError::DuplicateKey(stage.key.clone()));
            }
        }
        for stage in stages {
            let mut seen = BTreeSet::new();
            for to in &stage.next {
                if !index.contains_key(to.as_str()) {
                    return Err(RouteError::UnknownNext {
                        from: stage.key.clone(),
                        to: to.clone(),
                    });
                }
                if *to == stage.key || !seen.insert(to.as_str()) {
                    return Err(RouteError::RepeatedNext {
                        from: stage.key.clone(),
                        to: to.clone(),
                    });
                }
            }
        }
        for stage in stages {
            check_stage(stage, context)?;
        }
        if first.kind != StageKind::Circulation {
            return Err(RouteError::FirstNotCirculation(first.key.clone()));
        }
        let next_of = |i: usize| {
            stages[i]
                .next
                .iter()
                .filter_map(|k| index.get(k.as_str()).copied())
        };
        for stage in stages {
            let mut kinds = BTreeSet::new();
            for to in stage.next.iter().filter_map(|k| index.get(k.as_str())) {
                let kind = stages[*to].kind.name();
                if !kinds.insert(kind) {
                    return Err(RouteError::AmbiguousNext {
                        stage: stage.key.clone(),
                        kind,
                    });
                }
            }
        }
        let previous = |i: usize| -> Vec<usize> {
            (0..stages.len())
                .filter(|p| next_of(*p).any(|n| n == i))
                .collect()
        };
        for stage in stages {
            if !stage.kind.freezes() {
                continue;
            }
            for to in next_of(index[stage.key.as_str()]) {
                let kind = stages[to].kind.name();
                if !kind.freezes() || kind == StageKindName::Silence {
                    return Err(RouteError::AfterFrozen {
                        stage: stages[to].key.clone(),
                        kind,
                        after: stage.key.clone(),
                    });
                }
            }
        }
        for (i, stage) in stages.iter().enumerate() {
            let before = previous(i);
            match stage.kind.name() {
                StageKindName::Silence => {
                    if let Some(p) = before
                        .iter()
                        .find(|p| stages[**p].kind != StageKind::Circulation)
                    {
                        return Err(RouteError::SilenceNotAfterCirculation {
                            stage: stage.key.clone(),
                            from: stages[*p].key.clone(),
                        });
                    }
                }
                StageKindName::Signature => {
                    if !stage.next.is_empty() {
                        return Err(RouteError::SignatureNotLast(stage.key.clone()));
                    }
                    if let Some(p) = before.iter().find(|p| !stages[**p].kind.freezes()) {
                        return Err(RouteError::SignatureBeforeDecision {
                            stage: stage.key.clone(),
                            from: stages[*p].key.clone(),
                        });
                    }
                }
                _ => {}
            }
        }
        let reached = closure(stages.len(), [0], |i| next_of(i).collect());
        if let Some(i) = (0..stages.len()).find(|i| !reached.contains(i)) {
            return Err(RouteError::Unreachable(stages[i].key.clone()));
        }
        for stage in stages {
            let kind = stage.kind.name();
            if stage.next.is_empty() && !kind.may_end() {
                return Err(RouteError::OpenEnd {
                    stage: stage.key.clone(),
                    kind,
                });
            }
        }
        let ends = (0..stages.len()).filter(|i| stages[*i].next.is_empty());
        let ending = closure(stages.len(), ends, previous);
        if let Some(i) = (0..stages.len()).find(|i| !ending.contains(i)) {
            return Err(RouteError::DeadEnd(stages[i].key.clone()));
        }
        Ok(Route {
            stages: self.stages,
        })
    }
}

/// The checks of one stage on its own: its body, its signatories and rule.
fn check_stage(stage: &Stage, context: &RouteContext) -> Result<(), RouteError> {
    let key = || stage.key.clone();
    if let Some(body) = stage.kind.body() {
        let decides = context
            .bodies
            .get(body)
            .copied()
            .ok_or_else(|| RouteError::UnknownBody {
                stage: key(),
                body: body.to_owned(),
            })?;
        let deciding = matches!(
            stage.kind,
            StageKind::Decision { .. } | StageKind::Silence { .. }
        );
        if deciding && !decides {
            return Err(RouteError::NoDecisionNumbering {
                stage: key(),
                body: body.to_owned(),
            });
        }
    }
    if let StageKind::Signature {
        signatories,
        role,
        rule,
    } = &stage.kind
    {
        if *role != Role::SecretaryGeneral {
            return Err(RouteError::SignerRole {
                stage: key(),
                role: *role,
            });
        }
        let named = match signatories {
            Signatories::Parties => None,
            Signatories::Named { orgs } => {
                let bad = |reason: String| RouteError::BadSignatories {
                    stage: key(),
                    reason,
                };
                if orgs.is_empty() {
                    return Err(bad(
                        "a signature stage names at least one organisation".into()
                    ));
                }
                let mut seen = BTreeSet::new();
                for org in orgs {
                    OrgCode::parse(org).map_err(|e| bad(e.to_string()))?;
                    if !context.signing_orgs.contains(org) {
                        return Err(bad(format!(
                            "{org} is not a secretariat or counterpart whose Secretary General signs"
                        )));
                    }
                    if !seen.insert(org) {
                        return Err(bad(format!("{org} is named twice")));
                    }
                }
                Some(orgs.len())
            }
        };
        if let SignatureRule::AtLeast { count } = rule {
            let impossible = |reason: String| RouteError::ImpossibleRule {
                stage: key(),
                reason,
            };
            if *count == 0 {
                return Err(impossible(
                    "a signature rule asks for at least one signature".into(),
                ));
            }
            if let Some(of) = named
                && *count as usize > of
            {
                return Err(impossible(format!(
                    "{count} signatures of {of} signatories can never be made"
                )));
            }
        }
    }
    Ok(())
}

/// Whether `key` is a stage key.
fn is_key(key: &str) -> bool {
    (1..=32).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The indices reached from `start` by `step`, `start` included.
fn closure<I, F>(len: usize, start: I, step: F) -> BTreeSet<usize>
where
    I: IntoIterator<Item = usize>,
    F: Fn(usize) -> Vec<usize>,
{
    let mut seen: BTreeSet<usize> = start.into_iter().filter(|i| *i < len).collect();
    let mut queue: VecDeque<usize> = seen.iter().copied().collect();
    while let Some(i) = queue.pop_front() {
        for n in step(i) {
            if seen.insert(n) {
                queue.push_back(n);
            }
        }
    }
    seen
}

/// A route that passed [`RouteDefinition::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    stages: Vec<Stage>,
}

impl Route {
    /// Today's road of a joint document (SPEC §2): circulation,
    /// discussion by the SWG (from which a revised text may be circulated
    /// again), agreement by the SOC's decision, signature by every party's
    /// Secretary General.
    pub fn default_definition() -> RouteDefinition {
        let stage = Stage::new;
        RouteDefinition {
            stages: vec![
                stage("circulation", StageKind::Circulation, &["swg"]),
                stage(
                    "swg",
                    StageKind::Consideration { body: "SWG".into() },
                    &["circulation", "soc"],
                ),
                stage(
                    "soc",
                    StageKind::Decision {
                        body: "SOC".into(),
                        verb: DecisionVerb::Agree,
                    },
                    &["signature"],
                ),
                stage("signature", StageKind::signed_by_every_party(), &[]),
            ],
        }
    }

    /// A route stored after it was validated, read back as it was
    /// written: not checked again against today's bodies and
    /// organisations, which may have changed since.
    pub fn stored(definition: RouteDefinition) -> Route {
        Route {
            stages: definition.stages,
        }
    }

    /// The stages, in the order written.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// The stage keyed `key`.
    pub fn stage(&self, key: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.key == key)
    }

    /// The stages a draft standing at `at` may move on to (`None`: still
    /// in drafting, before the first stage).
    pub fn next(&self, at: Option<&str>) -> Vec<&Stage> {
        match at {
            None => self.stages.first().into_iter().collect(),
            Some(key) => self
                .stage(key)
                .map(|stage| stage.next.iter().filter_map(|k| self.stage(k)).collect())
                .unwrap_or_default(),
        }
    }

    /// The stage of `kind` a draft at `at` may move on to, if any (at most
    /// one: [`RouteError::AmbiguousNext`]).
    pub fn next_of_kind(&self, at: Option<&str>, kind: StageKindName) -> Option<&Stage> {
        self.next(at).into_iter().find(|s| s.kind.name() == kind)
    }

    /// Whether `at` ends the route.
    pub fn ends_at(&self, at: &str) -> bool {
        self.stage(at).is_some_and(|s| s.next.is_empty())
    }

    /// The definition, to be stored.
    pub fn definition(&self) -> RouteDefinition {
        RouteDefinition {
            stages: self.stages.clone(),
        }
    }

    /// The circulation a silence procedure at `silence` returns to when it
    /// is broken: the circulation it was entered from (the route's first
    /// that leads to it).
    pub fn returns_to(&self, silence: &str) -> Option<&Stage> {
        self.stages
            .iter()
            .find(|s| s.kind == StageKind::Circulation && s.next.iter().any(|n| n == silence))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn context() -> RouteContext {
        RouteContext {
            bodies: [
                ("SWG", false),
                ("SOC", true),
                ("MC", true),
                ("SUMMIT", true),
            ]
            .into_iter()
            .map(|(b, d)| (b.to_owned(), d))
            .collect(),
            signing_orgs: ["CICA", "SCO", "ASEAN"]
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }

    fn stage(key: &str, kind: StageKind, next: &[&str]) -> Stage {
        Stage {
            key: key.to_owned(),
            kind,
            next: next.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    fn decision(body: &str, verb: DecisionVerb) -> StageKind {
        StageKind::Decision {
            body: body.into(),
            verb,
        }
    }

    fn route(stages: Vec<Stage>) -> Result<Route, RouteError> {
        RouteDefinition { stages }.validate(&context())
    }

    #[test]
    fn the_default_route_is_todays_state_machine() {
        let route = Route::default_definition().validate(&context()).unwrap();
        let states: Vec<_> = route.stages().iter().map(Stage::state).collect();
        assert_eq!(
            states,
            [
                DraftState::Circulated,
                DraftState::SwgDiscussion,
                DraftState::SocAgreed,
                DraftState::Signed
            ]
        );
        let keys = |at| -> Vec<&str> { route.next(at).iter().map(|s| s.key.as_str()).collect() };
        assert_eq!(keys(None), ["circulation"]);
        assert_eq!(keys(Some("circulation")), ["swg"]);
        assert_eq!(keys(Some("swg")), ["circulation", "soc"]);
        assert_eq!(keys(Some("soc")), ["signature"]);
        assert!(keys(Some("signature")).is_empty());
        assert!(route.ends_at("signature") && !route.ends_at("soc"));
    }

    #[test]
    fn a_definition_reads_and_writes_as_plain_json() {
        let json = serde_json::to_value(Route::default_definition()).unwrap();
        assert_eq!(
            json["stages"][2],
            serde_json::json!({"key": "soc", "kind": "DECISION", "body": "SOC", "verb": "AGREE", "next": ["signature"]})
        );
        assert_eq!(
            json["stages"][3]["signatories"],
            serde_json::json!({"kind": "PARTIES"})
        );
        let back: RouteDefinition = serde_json::from_value(json).unwrap();
        assert_eq!(back, Route::default_definition());
    }

    #[test]
    fn a_ministerial_declaration_is_adopted_and_not_signed() {
        let route = route(vec![
            stage("circulation", StageKind::Circulation, &["soc"]),
            stage("soc", decision("SOC", DecisionVerb::Agree), &["mc"]),
            stage("mc", decision("MC", DecisionVerb::Adopt), &[]),
        ])
        .unwrap();
        assert_eq!(route.stage("mc").unwrap().state(), DraftState::Adopted);
        assert!(route.ends_at("mc"));
    }

    #[test]
    fn each_broken_rule_is_named() {
        let circ = || stage("circulation", StageKind::Circulation, &["soc"]);
        let soc = || stage("soc", decision("SOC", DecisionVerb::Agree), &[]);
        assert_eq!(route(vec![]), Err(RouteError::NoStages));
        assert_eq!(
            route(vec![
                circ(),
                stage("Soc", decision("SOC", DecisionVerb::Agree), &[])
            ]),
            Err(RouteError::BadKey("Soc".into()))
        );
        assert_eq!(
            route(vec![circ(), soc(), soc()]),
            Err(RouteError::DuplicateKey("soc".into()))
        );
        assert!(matches!(
            route(vec![
                circ(),
                stage("soc", decision("SWG", DecisionVerb::Agree), &[])
            ]),
            Err(RouteError::NoDecisionNumbering { .. })
        ));
        assert!(matches!(
            route(vec![
                circ(),
                stage("soc", decision("GA", DecisionVerb::Agree), &[])
            ]),
            Err(RouteError::UnknownBody { .. })
        ));
        assert_eq!(
            route(vec![soc()]),
            Err(RouteError::FirstNotCirculation("soc".into()))
        );
        assert_eq!(
            route(vec![
                stage("circulation", StageKind::Circulation, &[]),
                soc()
            ]),
            Err(RouteError::Unreachable("soc".into()))
        );
        assert_eq!(
            route(vec![
                circ(),
                stage("soc", decision("SOC", DecisionVerb::Agree), &["again"]),
                stage("again", StageKind::Circulation, &["mc"]),
                stage("mc", decision("MC", DecisionVerb::Adopt), &[]),
            ]),
            Err(RouteError::AfterFrozen {
                stage: "again".into(),
                kind: StageKindName::Circulation,
                after: "soc".into()
            })
        );
        assert_eq!(
            route(vec![
                stage("circulation", StageKind::Circulation, &["swg"]),
                stage(
                    "swg",
                    StageKind::Consideration { body: "SWG".into() },
                    &["circulation"]
                ),
            ]),
            Err(RouteError::DeadEnd("circulation".into()))
        );
    }

    #[test]
    fn silence_follows_a_circulation_and_signatures_a_decision() {
        let sign = |rule| StageKind::Signature {
            signatories: Signatories::Named {
                orgs: vec!["CICA".into(), "SCO".into(), "ASEAN".into()],
            },
            role: Role::SecretaryGeneral,
            rule,
        };
        assert!(
            route(vec![
                stage("circulation", StageKind::Circulation, &["silence"]),
                stage(
                    "silence",
                    StageKind::Silence { body: "SOC".into() },
                    &["sign"]
                ),
                stage("sign", sign(SignatureRule::AtLeast { count: 2 }), &[]),
            ])
            .is_ok()
        );
        assert!(matches!(
            route(vec![
                stage("circulation", StageKind::Circulation, &["silence"]),
                stage(
                    "silence",
                    StageKind::Silence { body: "SOC".into() },
                    &["sign"]
                ),
                stage("sign", sign(SignatureRule::AtLeast { count: 4 }), &[]),
            ]),
            Err(RouteError::ImpossibleRule { .. })
        ));
        assert!(matches!(
            route(vec![
                stage("circulation", StageKind::Circulation, &["sign"]),
                stage("sign", sign(SignatureRule::All), &[]),
            ]),
            Err(RouteError::SignatureBeforeDecision { .. })
        ));
        assert!(matches!(
            route(vec![
                stage("circulation", StageKind::Circulation, &["swg"]),
                stage(
                    "swg",
                    StageKind::Consideration { body: "SWG".into() },
                    &["silence"]
                ),
                stage("silence", StageKind::Silence { body: "SOC".into() }, &[]),
            ]),
            Err(RouteError::SilenceNotAfterCirculation { .. })
        ));
    }

    #[test]
    fn a_rule_of_n_of_m_needs_n_signatures() {
        assert_eq!(SignatureRule::All.required(3), 3);
        assert_eq!(SignatureRule::AtLeast { count: 2 }.required(3), 2);
        assert_eq!(SignatureRule::AtLeast { count: 5 }.required(3), 3);
    }
}

/// Property tests: random routes, built sound or anyhow. A sound route is
/// accepted; any route accepted has every property the engine relies on,
/// checked here by a second, brute-force reading of the graph; a refused
/// route is refused for a reason that is true of it.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::tests::context;
    use super::*;

    const BODIES: [&str; 5] = ["SWG", "SOC", "MC", "SUMMIT", "GA"];

    fn kind_strategy() -> impl Strategy<Value = StageKind> {
        let body = prop::sample::select(BODIES.to_vec()).prop_map(str::to_owned);
        let verb = prop::sample::select(DecisionVerb::ALL.to_vec());
        let orgs = prop::sample::subsequence(vec!["CICA", "SCO", "ASEAN", "KAZ"], 0..=4)
            .prop_map(|o| o.into_iter().map(str::to_owned).collect::<Vec<_>>());
        prop_oneof![
            3 => Just(StageKind::Circulation),
            2 => body.clone().prop_map(|body| StageKind::Consideration { body }),
            3 => (body.clone(), verb).prop_map(|(body, verb)| StageKind::Decision { body, verb }),
            1 => body.prop_map(|body| StageKind::Silence { body }),
            2 => (prop::option::of(orgs), 0u32..5, any::<bool>()).prop_map(|(named, n, all)| {
                StageKind::Signature {
                    signatories: match named {
                        Some(orgs) => Signatories::Named { orgs },
                        None => Signatories::Parties,
                    },
                    role: Role::SecretaryGeneral,
                    rule: if all {
                        SignatureRule::All
                    } else {
                        SignatureRule::AtLeast { count: n }
                    },
                }
            }),
        ]
    }

    /// Any graph of 1 to 8 stages with random kinds and edges.
    fn any_route() -> impl Strategy<Value = RouteDefinition> {
        (1usize..=8)
            .prop_flat_map(|n| {
                (
                    prop::collection::vec(kind_strategy(), n),
                    prop::collection::vec(prop::collection::vec(0..n, 0..3), n),
                )
            })
            .prop_map(|(kinds, edges)| RouteDefinition {
                stages: kinds
                    .into_iter()
                    .zip(edges)
                    .enumerate()
                    .map(|(i, (kind, next))| Stage {
                        key: format!("s{i}"),
                        kind,
                        next: next.into_iter().map(|j| format!("s{j}")).collect(),
                    })
                    .collect(),
            })
    }

    /// A sound route built forward: circulations and considerations (each
    /// consideration may lead back to a circulation), then a silence or a
    /// chain of decisions, then maybe a signature.
    fn sound_route() -> impl Strategy<Value = RouteDefinition> {
        let deciding = prop::sample::select(vec!["SOC", "MC", "SUMMIT"]).prop_map(str::to_owned);
        (
            1usize..=3,
            prop::collection::vec(
                (
                    deciding.clone(),
                    prop::sample::select(DecisionVerb::ALL.to_vec()),
                ),
                1..=3,
            ),
            any::<bool>(),
            deciding,
            prop::option::of((1u32..=3, any::<bool>())),
        )
            .prop_map(|(rounds, decisions, by_silence, silence_body, signature)| {
                let mut stages = Vec::new();
                for r in 0..rounds {
                    let consider = format!("consider-{r}");
                    stages.push(Stage {
                        key: format!("circulate-{r}"),
                        kind: StageKind::Circulation,
                        next: vec![consider.clone()],
                    });
                    // A consideration leads on to the next round's
                    // circulation, or, in the last round, back to its own
                    // circulation or on to the first decision.
                    let next = if r + 1 < rounds {
                        vec![format!("circulate-{}", r + 1)]
                    } else {
                        vec![format!("circulate-{r}"), "decide-0".to_owned()]
                    };
                    stages.push(Stage {
                        key: consider,
                        kind: StageKind::Consideration { body: "SWG".into() },
                        next,
                    });
                }
                let mut last = format!("consider-{}", rounds - 1);
                if by_silence {
                    let circ = stages.len() - 2;
                    stages[circ].next.push("silence".into());
                    stages.push(Stage {
                        key: "silence".into(),
                        kind: StageKind::Silence { body: silence_body },
                        next: vec!["decide-0".into()],
                    });
                    last = "silence".into();
                }
                for (i, (body, verb)) in decisions.iter().enumerate() {
                    stages.push(Stage {
                        key: format!("decide-{i}"),
                        kind: StageKind::Decision {
                            body: body.clone(),
                            verb: *verb,
                        },
                        next: if i + 1 < decisions.len() {
                            vec![format!("decide-{}", i + 1)]
                        } else {
                            Vec::new()
                        },
                    });
                    last = format!("decide-{i}");
                }
                if let Some((count, all)) = signature {
                    if let Some(stage) = stages.iter_mut().find(|s| s.key == last) {
                        stage.next.push("sign".into());
                    }
                    stages.push(Stage {
                        key: "sign".into(),
                        kind: StageKind::Signature {
                            signatories: Signatories::Named {
                                orgs: vec!["CICA".into(), "SCO".into(), "ASEAN".into()],
                            },
                            role: Role::SecretaryGeneral,
                            rule: if all {
                                SignatureRule::All
                            } else {
                                SignatureRule::AtLeast { count }
                            },
                        },
                        next: Vec::new(),
                    });
                }
                RouteDefinition { stages }
            })
    }

    /// The graph read again, by brute force: `reach[i][j]` when some path
    /// of one step or more leads from stage `i` to stage `j` (Warshall).
    struct Graph {
        n: usize,
        edge: Vec<Vec<bool>>,
        reach: Vec<Vec<bool>>,
    }

    impl Graph {
        fn of(def: &RouteDefinition) -> Graph {
            let n = def.stages.len();
            let at = |k: &str| def.stages.iter().position(|s| s.key == k);
            let mut edge = vec![vec![false; n]; n];
            for (i, s) in def.stages.iter().enumerate() {
                for k in &s.next {
                    if let Some(j) = at(k) {
                        edge[i][j] = true;
                    }
                }
            }
            let mut reach = edge.clone();
            for k in 0..n {
                for i in 0..n {
                    for j in 0..n {
                        if reach[i][k] && reach[k][j] {
                            reach[i][j] = true;
                        }
                    }
                }
            }
            Graph { n, edge, reach }
        }

        fn reached_from_first(&self, j: usize) -> bool {
            j == 0 || self.reach[0][j]
        }

        fn reaches_an_end(&self, def: &RouteDefinition, i: usize) -> bool {
            (0..self.n).any(|e| def.stages[e].next.is_empty() && (e == i || self.reach[i][e]))
        }
    }

    fn index(def: &RouteDefinition, key: &str) -> usize {
        def.stages.iter().position(|s| s.key == key).unwrap()
    }

    /// Every property the engine relies on, of an accepted route.
    fn assert_sound(def: &RouteDefinition, route: &Route) {
        let g = Graph::of(def);
        assert_eq!(def.stages[0].kind, StageKind::Circulation);
        for (i, s) in def.stages.iter().enumerate() {
            assert!(g.reached_from_first(i), "{} unreachable", s.key);
            assert!(g.reaches_an_end(def, i), "{} dead end", s.key);
            if s.next.is_empty() {
                assert!(s.kind.name().may_end(), "{} ends open", s.key);
            }
            let mut kinds = BTreeSet::new();
            for j in (0..g.n).filter(|j| g.edge[i][*j]) {
                let next = &def.stages[j].kind;
                assert!(kinds.insert(next.name()), "{} ambiguous", s.key);
                if s.kind.freezes() {
                    assert!(
                        matches!(
                            next.name(),
                            StageKindName::Decision | StageKindName::Signature
                        ),
                        "{} changes a frozen text",
                        def.stages[j].key
                    );
                }
                if next.name() == StageKindName::Silence {
                    assert_eq!(s.kind, StageKind::Circulation);
                }
                if next.name() == StageKindName::Signature {
                    assert!(s.kind.freezes());
                }
            }
            if let Some(body) = s.kind.body() {
                assert!(context().bodies.contains_key(body));
            }
            // What the engine asks of a route answers from the graph.
            let from_route: BTreeSet<&str> = route
                .next(Some(&s.key))
                .iter()
                .map(|t| t.key.as_str())
                .collect();
            let from_graph: BTreeSet<&str> = s.next.iter().map(String::as_str).collect();
            assert_eq!(from_route, from_graph);
        }
        assert_eq!(route.next(None)[0].key, def.stages[0].key);
    }

    /// A refusal's reason holds of the route refused.
    fn assert_true_of(def: &RouteDefinition, error: &RouteError) {
        let g = Graph::of(def);
        let kind_of = |k: &str| def.stages[index(def, k)].kind.name();
        match error {
            RouteError::NoStages => assert!(def.stages.is_empty()),
            RouteError::TooManyStages => assert!(def.stages.len() > MAX_STAGES),
            RouteError::BadKey(k) => assert!(!is_key(k)),
            RouteError::DuplicateKey(k) => {
                assert!(def.stages.iter().filter(|s| &s.key == k).count() > 1)
            }
            RouteError::UnknownNext { to, .. } => {
                assert!(def.stages.iter().all(|s| &s.key != to))
            }
            RouteError::RepeatedNext { from, to } => {
                let s = &def.stages[index(def, from)];
                assert!(from == to || s.next.iter().filter(|k| *k == to).count() > 1)
            }
            RouteError::UnknownBody { body, .. } => {
                assert!(!context().bodies.contains_key(body))
            }
            RouteError::NoDecisionNumbering { body, .. } => {
                assert_eq!(context().bodies.get(body), Some(&false))
            }
            RouteError::SignerRole { role, .. } => assert_ne!(*role, Role::SecretaryGeneral),
            RouteError::BadSignatories { stage, .. } => {
                let StageKind::Signature {
                    signatories: Signatories::Named { orgs },
                    ..
                } = &def.stages[index(def, stage)].kind
                else {
                    panic!("{stage} names no organisations")
                };
                let known = orgs.iter().all(|o| context().signing_orgs.contains(o));
                let unique = orgs.iter().collect::<BTreeSet<_>>().len() == orgs.len();
                assert!(orgs.is_empty() || !known || !unique);
            }
            RouteError::ImpossibleRule { stage, .. } => {
                let StageKind::Signature {
                    signatories, rule, ..
                } = &def.stages[index(def, stage)].kind
                else {
                    panic!("{stage} is no signature")
                };
                let SignatureRule::AtLeast { count } = rule else {
                    panic!("{stage}: all can always sign")
                };
                let of = match signatories {
                    Signatories::Named { orgs } => orgs.len(),
                    Signatories::Parties => usize::MAX,
                };
                assert!(*count == 0 || *count as usize > of);
            }
            RouteError::FirstNotCirculation(k) => {
                assert_eq!(&def.stages[0].key, k);
                assert_ne!(def.stages[0].kind, StageKind::Circulation);
            }
            RouteError::AmbiguousNext { stage, kind } => {
                let i = index(def, stage);
                let same = (0..g.n)
                    .filter(|j| g.edge[i][*j] && def.stages[*j].kind.name() == *kind)
                    .count();
                assert!(same > 1);
            }
            RouteError::Unreachable(k) => assert!(!g.reached_from_first(index(def, k))),
            RouteError::OpenEnd { stage, kind } => {
                assert!(def.stages[index(def, stage)].next.is_empty());
                assert!(!kind.may_end());
                assert_eq!(kind_of(stage), *kind);
            }
            RouteError::DeadEnd(k) => assert!(!g.reaches_an_end(def, index(def, k))),
            RouteError::AfterFrozen { stage, kind, after } => {
                let (a, s) = (index(def, after), index(def, stage));
                assert!(g.edge[a][s] && def.stages[a].kind.freezes());
                assert!(!kind.freezes() || *kind == StageKindName::Silence);
            }
            RouteError::SilenceNotAfterCirculation { stage, from } => {
                assert!(g.edge[index(def, from)][index(def, stage)]);
                assert_eq!(kind_of(stage), StageKindName::Silence);
                assert_ne!(kind_of(from), StageKindName::Circulation);
            }
            RouteError::SignatureNotLast(k) => {
                assert_eq!(kind_of(k), StageKindName::Signature);
                assert!(!def.stages[index(def, k)].next.is_empty());
            }
            RouteError::SignatureBeforeDecision { stage, from } => {
                assert!(g.edge[index(def, from)][index(def, stage)]);
                assert!(!kind_of(from).freezes());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn a_sound_route_is_accepted(def in sound_route()) {
            let route = def.clone().validate(&context());
            prop_assert!(route.is_ok(), "{:?}: {:?}", def, route);
            assert_sound(&def, &route.unwrap());
        }

        #[test]
        fn a_route_is_accepted_only_when_sound_and_refused_for_a_true_reason(def in any_route()) {
            match def.clone().validate(&context()) {
                Ok(route) => assert_sound(&def, &route),
                Err(error) => assert_true_of(&def, &error),
            }
        }

        #[test]
        fn cutting_the_way_to_a_stage_makes_it_unreachable(def in sound_route(), pick in any::<prop::sample::Index>()) {
            // Remove every edge into one stage other than the first.
            let n = def.stages.len();
            let target = def.stages[1 + pick.index(n - 1)].key.clone();
            let mut cut = def.clone();
            for s in &mut cut.stages {
                s.next.retain(|k| *k != target);
            }
            let error = cut.clone().validate(&context()).unwrap_err();
            assert_true_of(&cut, &error);
            prop_assert!(
                matches!(&error, RouteError::Unreachable(_) | RouteError::OpenEnd { .. }),
                "{error}"
            );
        }

        #[test]
        fn a_circulation_after_a_decision_is_refused(def in sound_route()) {
            let mut bad = def.clone();
            let decision = bad.stages.iter().position(|s| s.key == "decide-0").unwrap();
            bad.stages[decision].next.push("circulate-0".into());
            let error = bad.clone().validate(&context()).unwrap_err();
            prop_assert_eq!(
                error,
                RouteError::AfterFrozen {
                    stage: "circulate-0".into(),
                    kind: StageKindName::Circulation,
                    after: "decide-0".into(),
                }
            );
        }
    }
}
