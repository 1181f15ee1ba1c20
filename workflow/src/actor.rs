//! Who is acting: a person of an organisation holding roles. Built by the API
//! from a verified token and the organisation registry; never from input.

use std::collections::BTreeSet;

use accord_domain::{OrgCode, OrgKind, Role};

use crate::error::{Result, WorkflowError};

/// An authenticated person acting for their organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    sub: String,
    name: String,
    org: OrgCode,
    org_kind: OrgKind,
    roles: BTreeSet<Role>,
}

impl Actor {
    /// Checks that every role fits the organisation's kind (a `delegate` of
    /// `SCO` or a `secretariat` officer of `KAZ` is refused) and that there
    /// is at least one role.
    pub fn new(
        sub: impl Into<String>,
        name: impl Into<String>,
        org: OrgCode,
        org_kind: OrgKind,
        roles: impl IntoIterator<Item = Role>,
    ) -> Result<Self> {
        let roles: BTreeSet<Role> = roles.into_iter().collect();
        if roles.is_empty() {
            return Err(WorkflowError::Forbidden("the token carries no role".into()));
        }
        if let Some(role) = roles.iter().find(|role| !org_kind.allows_role(**role)) {
            return Err(WorkflowError::Forbidden(format!(
                "the role {} does not fit organisation {org}",
                role.claim_name()
            )));
        }
        Ok(Self {
            sub: sub.into(),
            name: name.into(),
            org,
            org_kind,
            roles,
        })
    }

    /// The person's stable id (the token's `sub`).
    pub fn sub(&self) -> &str {
        &self.sub
    }

    /// The person's display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The organisation the person acts for.
    pub fn org(&self) -> &OrgCode {
        &self.org
    }

    /// The kind of that organisation.
    pub fn org_kind(&self) -> OrgKind {
        self.org_kind
    }

    /// The person's roles.
    pub fn roles(&self) -> &BTreeSet<Role> {
        &self.roles
    }

    /// Whether the person holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}
