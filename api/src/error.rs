//! The one table from errors to `extensions.code` (SPEC §8). Internal
//! errors are logged with a correlation id; the client sees only `INTERNAL`
//! and that id.

use accord_domain::DomainError;
use accord_workflow::WorkflowError;
use async_graphql::ErrorExtensions;

/// The error codes a client can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    /// No valid token.
    Unauthenticated,
    /// Not allowed for this person.
    Forbidden,
    /// Does not exist, or may not be known to exist.
    NotFound,
    /// Malformed or rule-breaking input.
    BadUserInput,
    /// Not possible from the current state.
    InvalidTransition,
    /// Someone else changed it first.
    Conflict,
    /// A bound was hit; nothing was written; retry after `Retry-After`.
    Unavailable,
    /// Our fault; see the logs.
    Internal,
}

impl Code {
    /// The code as sent in `extensions.code`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A GraphQL error with `code` and `message`.
pub fn coded(code: Code, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", code.as_str()))
}

/// Logs an internal failure under a fresh correlation id (credentials in
/// its text redacted, see [`crate::redact::text`]) and returns the opaque
/// error the client sees.
pub fn internal(detail: &dyn std::fmt::Display) -> async_graphql::Error {
    let id = uuid::Uuid::new_v4();
    let detail = detail.to_string();
    tracing::error!(correlation_id = %id, error = %crate::redact::text(&detail), "internal error");
    async_graphql::Error::new(format!("internal error; correlation id {id}")).extend_with(
        |_, ext| {
            ext.set("code", Code::Internal.as_str());
            ext.set("correlationId", id.to_string());
        },
    )
}

/// The mapping table: the code a workflow error is shown with.
pub fn workflow_code(error: &WorkflowError) -> Code {
    match error {
        WorkflowError::BadInput(_) | WorkflowError::Rejected(_) => Code::BadUserInput,
        WorkflowError::NotFound(_) => Code::NotFound,
        WorkflowError::Forbidden(_) => Code::Forbidden,
        WorkflowError::InvalidTransition(_) => Code::InvalidTransition,
        WorkflowError::Conflict(_) => Code::Conflict,
        WorkflowError::Unavailable(_) => Code::Unavailable,
        WorkflowError::Database(_) | WorkflowError::Corrupt(_) | WorkflowError::Storage(_) => {
            Code::Internal
        }
    }
}

/// A workflow error as the client sees it (an internal one logged).
pub fn from_workflow(error: WorkflowError) -> async_graphql::Error {
    match workflow_code(&error) {
        Code::Internal => internal(&error),
        code => coded(code, error.to_string()),
    }
}

/// Input that failed a domain constructor.
pub fn from_domain(error: DomainError) -> async_graphql::Error {
    coded(Code::BadUserInput, error.to_string())
}

/// Extension trait so resolvers can write `.gql()?`.
pub trait GqlResult<T> {
    /// Converts the error through the mapping table.
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResult<T> for Result<T, WorkflowError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(from_workflow)
    }
}

impl<T> GqlResult<T> for Result<T, DomainError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(from_domain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(error: &async_graphql::Error) -> String {
        let value = error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .cloned()
            .unwrap();
        value.to_string().trim_matches('"').to_owned()
    }

    #[test]
    fn each_workflow_error_maps_to_its_code() {
        let cases = [
            (WorkflowError::Rejected("x".into()), "BAD_USER_INPUT"),
            (WorkflowError::NotFound("x".into()), "NOT_FOUND"),
            (WorkflowError::Forbidden("x".into()), "FORBIDDEN"),
            (
                WorkflowError::InvalidTransition("x".into()),
                "INVALID_TRANSITION",
            ),
            (WorkflowError::Conflict("x".into()), "CONFLICT"),
            (WorkflowError::Corrupt("x".into()), "INTERNAL"),
        ];
        for (error, code) in cases {
            assert_eq!(code_of(&from_workflow(error)), code);
        }
    }

    #[test]
    fn an_internal_error_hides_its_detail() {
        let error = from_workflow(WorkflowError::Corrupt("table drafts at /var/db".into()));
        assert!(!error.message.contains("drafts"));
        assert!(error.message.contains("correlation id"));
    }
}
