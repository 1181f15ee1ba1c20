//! Organisations and the roles their people act in.

use std::fmt;

use crate::{DomainError, Result};

string_enum! {
    /// The capacity in which a user acts; it comes from the `role` claim of
    /// their token.
    pub enum Role ("role") {
        /// An officer of a secretariat that drafts and circulates texts.
        Secretariat => "SECRETARIAT",
        /// The Secretary General of a secretariat, who signs.
        SecretaryGeneral => "SECRETARY_GENERAL",
        /// A delegate of a member state, who reads and comments.
        Delegate => "DELEGATE",
        /// An officer of a counterpart secretariat that is party to a draft.
        Counterpart => "COUNTERPART",
        /// An observer, who may only read what is circulated to observers.
        Observer => "OBSERVER",
        /// An administrator of reference data and users.
        Admin => "ADMIN",
    }
}

impl Role {
    /// Parses the lower-case spelling used in the JWT `role` claim,
    /// e.g. `"secretary_general"`.
    pub fn from_claim(s: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.claim_name() == s)
            .ok_or_else(|| DomainError::Unknown {
                what: "role claim",
                value: crate::error::shown(s),
                expected: Role::ALL.map(Role::claim_name).join(", "),
            })
    }

    /// The lower-case spelling used in the JWT `role` claim.
    pub fn claim_name(self) -> &'static str {
        match self {
            Role::Secretariat => "secretariat",
            Role::SecretaryGeneral => "secretary_general",
            Role::Delegate => "delegate",
            Role::Counterpart => "counterpart",
            Role::Observer => "observer",
            Role::Admin => "admin",
        }
    }
}

string_enum! {
    /// What sort of organisation an organisation is; it bounds the roles its
    /// people may hold.
    pub enum OrgKind ("organisation kind") {
        /// The home secretariat (e.g. CICA's).
        Secretariat => "SECRETARIAT",
        /// A counterpart secretariat (e.g. SCO's).
        Counterpart => "COUNTERPART",
        /// A member state (e.g. KAZ).
        MemberState => "MEMBER_STATE",
        /// An observer state or organisation (e.g. UN).
        Observer => "OBSERVER",
    }
}

impl OrgKind {
    /// Whether a person of an organisation of this kind may hold `role`.
    /// Any kind may have administrators.
    pub fn allows_role(self, role: Role) -> bool {
        matches!(
            (self, role),
            (_, Role::Admin)
                | (
                    OrgKind::Secretariat,
                    Role::Secretariat | Role::SecretaryGeneral
                )
                | (
                    OrgKind::Counterpart,
                    Role::Counterpart | Role::SecretaryGeneral
                )
                | (OrgKind::MemberState, Role::Delegate)
                | (OrgKind::Observer, Role::Observer)
        )
    }
}

/// The short code of an organisation, e.g. `CICA`, `SCO`, `KAZ`, `TURKPA`.
///
/// 2 to 10 characters, ASCII upper-case letters and digits, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrgCode(String);

impl OrgCode {
    /// Checks and wraps an organisation code.
    pub fn parse(s: &str) -> Result<OrgCode> {
        let invalid = |reason: &str| DomainError::invalid("organisation code", s, reason);
        let len = s.chars().count();
        if !(2..=10).contains(&len) {
            return Err(invalid("must be 2 to 10 characters long"));
        }
        if !s.starts_with(|c: char| c.is_ascii_uppercase()) {
            return Err(invalid("must start with an upper-case letter A-Z"));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            return Err(invalid(
                "may only contain upper-case letters A-Z and digits",
            ));
        }
        Ok(OrgCode(s.to_owned()))
    }

    /// The code as written, e.g. `"CICA"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_newtype!(OrgCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip_through_from_str_and_serde() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::SecretaryGeneral.to_string(), "SECRETARY_GENERAL");
    }

    #[test]
    fn role_claims_are_the_lower_case_names() {
        for role in Role::ALL {
            assert_eq!(role.claim_name(), role.as_str().to_lowercase());
            assert_eq!(Role::from_claim(role.claim_name()), Ok(role));
        }
    }

    #[test]
    fn an_unknown_role_claim_is_rejected_with_the_accepted_list() {
        let error = Role::from_claim("SECRETARIAT").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown role claim \"SECRETARIAT\"; expected one of secretariat, \
             secretary_general, delegate, counterpart, observer, admin"
        );
    }

    #[test]
    fn a_lower_case_role_name_is_not_a_role() {
        assert!("delegate".parse::<Role>().is_err());
    }

    #[test]
    fn organisation_kinds_allow_exactly_their_roles() {
        use OrgKind as K;
        use Role as R;
        let allowed = [
            (
                K::Secretariat,
                vec![R::Secretariat, R::SecretaryGeneral, R::Admin],
            ),
            (
                K::Counterpart,
                vec![R::Counterpart, R::SecretaryGeneral, R::Admin],
            ),
            (K::MemberState, vec![R::Delegate, R::Admin]),
            (K::Observer, vec![R::Observer, R::Admin]),
        ];
        for (kind, roles) in allowed {
            for role in Role::ALL {
                assert_eq!(
                    kind.allows_role(role),
                    roles.contains(&role),
                    "{kind} {role}"
                );
            }
        }
    }

    #[test]
    fn real_organisation_codes_are_accepted() {
        for code in ["CICA", "SCO", "KAZ", "TURKPA", "UN", "G20"] {
            assert_eq!(OrgCode::parse(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn malformed_organisation_codes_are_rejected() {
        for code in [
            "",
            "C",
            "cica",
            "1UN",
            "CI CA",
            "ABCDEFGHIJK",
            "SCO-1",
            "ÄB",
        ] {
            assert!(OrgCode::parse(code).is_err(), "{code:?}");
        }
    }

    #[test]
    fn organisation_code_serialises_as_a_checked_string() {
        let code = OrgCode::parse("SCO").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"SCO\"");
        assert_eq!(serde_json::from_str::<OrgCode>("\"SCO\"").unwrap(), code);
        assert!(serde_json::from_str::<OrgCode>("\"sco\"").is_err());
    }
}
