//! Identity: verification of the bearer JWTs that every request (health checks
//! aside) carries, and minting of development tokens.
//!
//! Verification follows RFC 8725 (JWT best current practices):
//!
//! - the key decides the algorithm, never the token: a key allows exactly
//!   one algorithm (HS256 for a shared secret; EdDSA, ES256 or RS256 for a
//!   public key, according to the kind of key; for an identity provider's
//!   keys, see [`crate::jwks`]), so `none`, algorithm substitution and the
//!   HMAC-with-a-public-key confusion are all refused;
//! - `exp`, `nbf`, `sub`, `iss` and `aud` are required and checked, with a
//!   small leeway for clock skew;
//! - tokens asking us to fetch or trust a key (`jku`, `x5u`, `jwk`, `x5c`
//!   headers) and tokens with critical extensions (`crit`) are refused; `kid`
//!   only picks one of an identity provider's keys (its JWKS, fetched from
//!   the configured URL, never from the token), and is ignored otherwise;
//! - claim names must be unique, and the claims Accord relies on (`sub`,
//!   `org`, `roles`) must be well formed.
//!
//! Every [`AuthError`] becomes the GraphQL error code `UNAUTHENTICATED`, so
//! its messages are short and say nothing about keys or internals.

use std::fmt;
use std::sync::Arc;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use thiserror::Error;

use accord_domain::{OrgCode, Role};
use accord_workflow::{Actor, Store};
use poem::http::{HeaderMap, header};

use crate::http::Denied;
use crate::jwks::{RemoteKeys, RemoteKeysConfig};

/// Shortest accepted HS256 secret, in bytes (the size of the HMAC-SHA-256 output).
pub const MIN_HS256_SECRET_BYTES: usize = 32;

/// Largest accepted clock-skew leeway, in seconds.
pub const MAX_LEEWAY_SECS: u64 = 300;

/// Longest accepted token, in bytes.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Longest accepted `sub` claim, in characters.
pub const MAX_SUBJECT_CHARS: usize = 200;

/// Longest accepted `name` claim, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Longest accepted `org` claim and role name, in characters.
const MAX_CODE_CHARS: usize = 64;

/// Most roles a token may carry.
const MAX_ROLES: usize = 16;

/// The longest token lifetime (`exp` − `iat`) accepted by default: a day.
pub const DEFAULT_MAX_LIFETIME_SECS: u64 = 24 * 60 * 60;

/// Smallest accepted RSA modulus, in bits.
const MIN_RSA_BITS: usize = 2048;

/// Header parameters that make a token refer to key material outside our
/// configuration. We never fetch keys, and a token asking us to is suspicious.
const FORBIDDEN_HEADERS: [&str; 4] = ["jku", "x5u", "jwk", "x5c"];

/// Settings for token verification.
#[derive(Clone)]
pub struct AuthConfig {
    /// Shared HS256 secret (development and small deployments); at least 32 bytes.
    pub hs256_secret: Option<String>,
    /// PEM-encoded public key of an external identity provider (Ed25519,
    /// P-256 or RSA of at least 2048 bits).
    pub public_key_pem: Option<Vec<u8>>,
    /// An external identity provider's key set (a JWKS URL or an OpenID
    /// Connect issuer), fetched and refreshed.
    pub remote_keys: Option<RemoteKeysConfig>,
    /// Required value of the `iss` claim.
    pub issuer: String,
    /// Value that the `aud` claim must be or contain.
    pub audience: String,
    /// Clock-skew allowance for `exp`, `nbf` and `iat`, in seconds (at most [`MAX_LEEWAY_SECS`]).
    pub leeway_secs: u64,
    /// The longest lifetime a token may have, `exp` − `iat` (or `exp` −
    /// `nbf` when there is no `iat`), in seconds; longer-lived tokens are
    /// refused whatever their signature.
    pub max_lifetime_secs: u64,
}

impl fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthConfig")
            .field(
                "hs256_secret",
                &self.hs256_secret.as_ref().map(|_| "[redacted]"),
            )
            .field(
                "public_key_pem",
                &self.public_key_pem.as_ref().map(|_| "[set]"),
            )
            .field("remote_keys", &self.remote_keys)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("leeway_secs", &self.leeway_secs)
            .field("max_lifetime_secs", &self.max_lifetime_secs)
            .finish()
    }
}

/// Why a [`Verifier`] could not be built or a token could not be minted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthSetupError {
    /// Not exactly one of an HS256 secret, a public key and an identity
    /// provider's keys was configured.
    #[error(
        "configure exactly one of an HS256 secret, a public key, a JWKS URL or an OpenID Connect issuer"
    )]
    KeyChoice,
    /// The identity provider's keys cannot be fetched from where configured.
    #[error("identity provider: {0}")]
    Provider(String),
    /// The HS256 secret is too short to be a high-entropy key.
    #[error("the HS256 secret must be at least 32 bytes")]
    SecretTooShort,
    /// The public key is not a usable Ed25519, P-256 or RSA (2048+) public key.
    #[error("unusable public key: {0}")]
    PublicKey(&'static str),
    /// Some other setting is out of range.
    #[error("invalid authentication setting: {0}")]
    Config(&'static str),
    /// A development token could not be produced.
    #[error("cannot mint token: {0}")]
    Mint(String),
}

/// Why a bearer token was refused. Every variant means `UNAUTHENTICATED`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthError {
    /// No token was presented.
    #[error("no bearer token")]
    Missing,
    /// The token or header is not well formed: not a compact JWS, bad base64
    /// or JSON, repeated names, too long, or an unknown algorithm name such as
    /// `none` (which cannot even be parsed as an algorithm).
    #[error("malformed token")]
    Malformed,
    /// `exp` has passed, beyond the leeway.
    #[error("token expired")]
    Expired,
    /// `nbf` is in the future, beyond the leeway.
    #[error("token not yet valid")]
    NotYetValid,
    /// The signature does not verify with the configured key.
    #[error("invalid token signature")]
    BadSignature,
    /// `iss` is not the configured issuer.
    #[error("token issuer not accepted")]
    WrongIssuer,
    /// `aud` neither is nor contains the configured audience.
    #[error("token audience not accepted")]
    WrongAudience,
    /// The header names an algorithm other than the single allowed one.
    #[error("token algorithm not allowed")]
    AlgorithmNotAllowed,
    /// The identity provider has no key by the token's `kid` (none after a
    /// refresh, or none it was allowed to refresh for yet).
    #[error("token signed by an unknown key")]
    UnknownKey,
    /// A required registered claim is absent (or not of the required type).
    #[error("token lacks claim {0}")]
    MissingClaim(String),
    /// The header carries a parameter we refuse (`jku`, `x5u`, `jwk`, `x5c`, `crit`).
    #[error("token header {0} not allowed")]
    ForbiddenHeader(String),
    /// A claim is present but unacceptable (empty, too long, wrong type,
    /// a control character).
    #[error("invalid token claim {0}")]
    InvalidClaims(String),
    /// `exp` is further from `iat` (or `nbf`) than the configured maximum.
    #[error("token lifetime longer than allowed")]
    TooLongLived,
    /// `iat` is in the future, beyond the leeway.
    #[error("token issued in the future")]
    IssuedInFuture,
}

/// The verified identity carried by a token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// Person id; non-empty, at most 200 characters.
    pub sub: String,
    /// Display name; the subject when the token has none.
    #[serde(default)]
    pub name: String,
    /// Organisation code (`CICA`, `SCO` or a member state's alpha-3 code).
    pub org: String,
    /// Roles; never empty.
    pub roles: Vec<String>,
    /// Issuer; always the configured issuer once verified.
    pub iss: String,
    /// The audience the token was accepted for (the configured audience, even
    /// when the token lists several).
    pub aud: String,
    /// Expiry, seconds since the Unix epoch.
    pub exp: i64,
    /// Start of validity, seconds since the Unix epoch.
    pub nbf: i64,
    /// Time of issue, seconds since the Unix epoch, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
}

/// Verifies bearer tokens against one key and one allowed algorithm, or
/// against an identity provider's keys, each with its one algorithm.
#[derive(Clone)]
pub struct Verifier {
    keys: Keys,
    validation: Validation,
    issuer: String,
    audience: String,
    leeway_secs: i64,
    max_lifetime_secs: i64,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("keys", &self.keys)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("leeway_secs", &self.validation.leeway)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// Builds a verifier from `config`.
    ///
    /// Exactly one of the HS256 secret (at least 32 bytes) and the public key
    /// must be set. A public key PEM must hold a single `PUBLIC KEY` (SPKI) or
    /// `RSA PUBLIC KEY` (PKCS#1) block; its kind fixes the only algorithm
    /// accepted: Ed25519 → EdDSA, P-256 → ES256, RSA of at least 2048 bits →
    /// RS256. Other curves (such as P-384) are refused: the point must have the
    /// size of a P-256 point and lie on P-256. (The curve OID itself is not
    /// read; a 256-bit point on another curve fails the on-curve check.)
    ///
    /// With an identity provider's keys ([`AuthConfig::remote_keys`]),
    /// nothing is fetched yet: [`Verifier::load_keys`] does, at start-up.
    pub fn new(config: &AuthConfig) -> Result<Self, AuthSetupError> {
        if config.issuer.trim().is_empty() {
            return Err(AuthSetupError::Config("issuer must not be empty"));
        }
        if config.audience.trim().is_empty() {
            return Err(AuthSetupError::Config("audience must not be empty"));
        }
        if config.leeway_secs > MAX_LEEWAY_SECS {
            return Err(AuthSetupError::Config("leeway must be at most 300 seconds"));
        }
        if config.max_lifetime_secs == 0 {
            return Err(AuthSetupError::Config(
                "the maximum token lifetime must be positive",
            ));
        }
        let keys = match (
            &config.hs256_secret,
            &config.public_key_pem,
            &config.remote_keys,
        ) {
            (Some(secret), None, None) => {
                check_secret(secret)?;
                Keys::Fixed(
                    Algorithm::HS256,
                    DecodingKey::from_secret(secret.as_bytes()),
                )
            }
            (None, Some(pem), None) => {
                let (algorithm, key) = public_key(pem)?;
                Keys::Fixed(algorithm, key)
            }
            (None, None, Some(remote)) => Keys::Remote(Arc::new(
                RemoteKeys::new(remote.clone())
                    .map_err(|error| AuthSetupError::Provider(error.to_string()))?,
            )),
            _ => return Err(AuthSetupError::KeyChoice),
        };
        let algorithm = match &keys {
            Keys::Fixed(algorithm, _) => *algorithm,
            // Set per token to its key's algorithm.
            Keys::Remote(_) => Algorithm::RS256,
        };

        let mut validation = Validation::new(algorithm);
        validation.set_required_spec_claims(&["exp", "nbf", "sub", "iss", "aud"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = true;
        validation.leeway = config.leeway_secs;
        validation.set_issuer(&[&config.issuer]);
        validation.set_audience(&[&config.audience]);

        Ok(Self {
            keys,
            validation,
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            leeway_secs: i64::try_from(config.leeway_secs).unwrap_or(i64::MAX),
            max_lifetime_secs: i64::try_from(config.max_lifetime_secs).unwrap_or(i64::MAX),
        })
    }

    /// The single algorithm this verifier accepts, or `None` when it
    /// verifies with an identity provider's keys (one algorithm each).
    pub fn algorithm(&self) -> Option<Algorithm> {
        match &self.keys {
            Keys::Fixed(algorithm, _) => Some(*algorithm),
            Keys::Remote(_) => None,
        }
    }

    /// Fetches the identity provider's keys, if this verifier has one
    /// (at start-up; later they are refreshed as tokens need). Returns how
    /// many keys it has.
    pub async fn load_keys(&self) -> Result<Option<usize>, crate::jwks::KeysError> {
        match &self.keys {
            Keys::Fixed(..) => Ok(None),
            Keys::Remote(remote) => remote.load().await.map(Some),
        }
    }

    /// The clock leeway, in seconds: a token is accepted until `exp` plus
    /// this (so a live updates' socket stays open until then).
    pub fn leeway_secs(&self) -> i64 {
        self.leeway_secs
    }

    /// Verifies `token` (the compact JWS, without the `Bearer ` prefix) and
    /// returns its claims. An identity provider's key set is refreshed, if
    /// it lacks the token's key, as [`crate::jwks`] allows.
    pub async fn verify_fetching(&self, token: &str) -> Result<Claims, AuthError> {
        let header = self.header(token)?;
        match &self.keys {
            Keys::Fixed(..) => self.verify(token),
            Keys::Remote(remote) => {
                let key = remote
                    .key(header.kid.as_deref())
                    .await
                    .map_err(|_| AuthError::UnknownKey)?;
                self.verify_with(token, &header, key.algorithm, &key.key)
            }
        }
    }

    /// Verifies `token` (the compact JWS, without the `Bearer ` prefix) and
    /// returns its claims. With an identity provider's keys, only a key
    /// already fetched is used (see [`Verifier::verify_fetching`]).
    pub fn verify(&self, token: &str) -> Result<Claims, AuthError> {
        let header = self.header(token)?;
        match &self.keys {
            Keys::Fixed(algorithm, key) => self.verify_with(token, &header, *algorithm, key),
            Keys::Remote(_) => Err(AuthError::UnknownKey),
        }
    }

    /// The token's header, checked: a compact JWS of bounded size, without
    /// parameters that ask for keys from elsewhere.
    fn header(&self, token: &str) -> Result<Header, AuthError> {
        if token.is_empty() {
            return Err(AuthError::Missing);
        }
        if token.len() > MAX_TOKEN_BYTES || token.split('.').count() != 3 {
            return Err(AuthError::Malformed);
        }
        let header = jsonwebtoken::decode_header(token).map_err(map_jwt_error)?;
        check_header(&header)?;
        Ok(header)
    }

    /// Verifies `token` with `key`, which allows `algorithm` only.
    fn verify_with(
        &self,
        token: &str,
        header: &Header,
        algorithm: Algorithm,
        key: &DecodingKey,
    ) -> Result<Claims, AuthError> {
        if header.alg != algorithm {
            return Err(AuthError::AlgorithmNotAllowed);
        }
        // Signature first, then the registered claims, all by jsonwebtoken;
        // the payload is read as an object whose names must be unique.
        let data = if self.validation.algorithms == [algorithm] {
            jsonwebtoken::decode::<UniqueObject>(token, key, &self.validation)
        } else {
            let mut validation = self.validation.clone();
            validation.algorithms = vec![algorithm];
            jsonwebtoken::decode::<UniqueObject>(token, key, &validation)
        }
        .map_err(map_jwt_error)?;
        let raw: RawClaims = serde_json::from_value(Value::Object(data.claims.0))
            .map_err(|_| AuthError::InvalidClaims("types".to_owned()))?;
        self.check_claims(raw)
    }

    /// Applies Accord's own rules to claims whose signature, times, issuer and
    /// audience jsonwebtoken has already checked, and checks issuer and
    /// audience once more.
    fn check_claims(&self, raw: RawClaims) -> Result<Claims, AuthError> {
        if raw.iss != self.issuer {
            return Err(AuthError::WrongIssuer);
        }
        let audience_ok = match &raw.aud {
            OneOrMany::One(aud) => *aud == self.audience,
            OneOrMany::Many(auds) => auds.contains(&self.audience),
        };
        if !audience_ok {
            return Err(AuthError::WrongAudience);
        }
        let org = raw
            .org
            .ok_or_else(|| AuthError::MissingClaim("org".to_owned()))?;
        let roles = raw
            .roles
            .ok_or_else(|| AuthError::MissingClaim("roles".to_owned()))?;
        check_identity(&raw.sub, &org, &roles)
            .map_err(|claim| AuthError::InvalidClaims(claim.to_owned()))?;
        let name = match raw.name {
            Some(name) if !name.trim().is_empty() => {
                check_name(&name).map_err(|claim| AuthError::InvalidClaims(claim.to_owned()))?;
                name
            }
            _ => raw.sub.clone(),
        };
        self.check_times(raw.exp, raw.nbf, raw.iat)?;
        Ok(Claims {
            sub: raw.sub,
            name,
            org,
            roles,
            iss: raw.iss,
            aud: self.audience.clone(),
            exp: raw.exp,
            nbf: raw.nbf,
            iat: raw.iat,
        })
    }
}

impl Verifier {
    /// The checks of the times jsonwebtoken does not make: `iat` not in the
    /// future beyond the leeway, and a lifetime no longer than the maximum.
    fn check_times(&self, exp: i64, nbf: i64, iat: Option<i64>) -> Result<(), AuthError> {
        let now = chrono::Utc::now().timestamp();
        if iat.is_some_and(|iat| iat > now.saturating_add(self.leeway_secs)) {
            return Err(AuthError::IssuedInFuture);
        }
        let start = iat.map_or(nbf, |iat| iat.min(nbf));
        if exp.saturating_sub(start) > self.max_lifetime_secs {
            return Err(AuthError::TooLongLived);
        }
        Ok(())
    }
}

/// The keys a [`Verifier`] checks signatures with.
#[derive(Clone)]
enum Keys {
    /// One key (a shared secret or a public key) and its one algorithm.
    Fixed(Algorithm, DecodingKey),
    /// An identity provider's keys, each with its one algorithm.
    Remote(Arc<RemoteKeys>),
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Keys::Fixed(algorithm, _) => f.debug_tuple("Fixed").field(algorithm).finish(),
            Keys::Remote(remote) => f.debug_tuple("Remote").field(remote).finish(),
        }
    }
}

/// Extracts the token from an `Authorization` header value `Bearer <token>`.
///
/// The scheme is case-insensitive and separated from the token by exactly one
/// space; the token must be non-empty, at most 8 KiB, and made only of the
/// characters of a compact JWS (base64url and `.`).
pub fn bearer_token(header_value: &str) -> Result<&str, AuthError> {
    let value = header_value.trim_matches(|c: char| c == ' ' || c == '\t');
    if value.is_empty() {
        return Err(AuthError::Missing);
    }
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::Malformed);
    }
    if token.is_empty() {
        return Err(AuthError::Missing);
    }
    let jws_char = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.';
    if token.len() > MAX_TOKEN_BYTES || !token.bytes().all(jws_char) {
        return Err(AuthError::Malformed);
    }
    Ok(token)
}

/// What a development token should say.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    /// Person id.
    pub sub: String,
    /// Display name (the subject is used when empty).
    pub name: String,
    /// Organisation code.
    pub org: String,
    /// Roles; at least one.
    pub roles: Vec<String>,
    /// Lifetime; must be positive.
    pub ttl: chrono::Duration,
}

/// Mints an HS256 development token with `iat = nbf = now` and
/// `exp = now + ttl`, acceptable to a [`Verifier`] configured with the same
/// secret, issuer and audience.
pub fn mint_hs256(
    secret: &str,
    issuer: &str,
    audience: &str,
    req: &TokenRequest,
) -> Result<String, AuthSetupError> {
    check_secret(secret)?;
    if issuer.trim().is_empty() {
        return Err(AuthSetupError::Config("issuer must not be empty"));
    }
    if audience.trim().is_empty() {
        return Err(AuthSetupError::Config("audience must not be empty"));
    }
    check_identity(&req.sub, &req.org, &req.roles)
        .map_err(|claim| AuthSetupError::Mint(format!("invalid {claim}")))?;
    let ttl = req.ttl.num_seconds();
    if ttl <= 0 {
        return Err(AuthSetupError::Mint("ttl must be positive".to_owned()));
    }
    let now = chrono::Utc::now().timestamp();
    let exp = now
        .checked_add(ttl)
        .ok_or_else(|| AuthSetupError::Mint("ttl too large".to_owned()))?;
    let name = if req.name.trim().is_empty() {
        req.sub.clone()
    } else {
        check_name(&req.name).map_err(|claim| AuthSetupError::Mint(format!("invalid {claim}")))?;
        req.name.clone()
    };
    let claims = Claims {
        sub: req.sub.clone(),
        name,
        org: req.org.clone(),
        roles: req.roles.clone(),
        iss: issuer.to_owned(),
        aud: audience.to_owned(),
        exp,
        nbf: now,
        iat: Some(now),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .map_err(|e| AuthSetupError::Mint(e.to_string()))
}

/// Claims as they come out of the payload, before Accord's own checks.
#[derive(Deserialize)]
struct RawClaims {
    sub: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    roles: Option<Vec<String>>,
    iss: String,
    aud: OneOrMany,
    exp: i64,
    nbf: i64,
    #[serde(default)]
    iat: Option<i64>,
}

/// `aud` may be a single string or an array of strings (RFC 7519 §4.1.3).
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// A JSON object whose member names are all distinct. `serde_json::Map`
/// silently keeps the last of repeated names, and derived structs ignore
/// repeats of names they do not know, so repeats are refused here.
struct UniqueObject(Map<String, Value>);

impl<'de> Deserialize<'de> for UniqueObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UniqueObjectVisitor;

        impl<'de> Visitor<'de> for UniqueObjectVisitor {
            type Value = UniqueObject;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object with distinct member names")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut object = Map::new();
                while let Some(name) = access.next_key::<String>()? {
                    if object.contains_key(&name) {
                        return Err(de::Error::custom("repeated member name"));
                    }
                    let value: Value = access.next_value()?;
                    object.insert(name, value);
                }
                Ok(UniqueObject(object))
            }
        }

        deserializer.deserialize_map(UniqueObjectVisitor)
    }
}

fn check_secret(secret: &str) -> Result<(), AuthSetupError> {
    if secret.len() < MIN_HS256_SECRET_BYTES {
        return Err(AuthSetupError::SecretTooShort);
    }
    Ok(())
}

/// Checks the identity claims; on failure names the offending claim.
/// Checks the identity claims as any input is checked: each present,
/// bounded, and one line of text with no control or bidirectional
/// character (a NUL could not even be stored by PostgreSQL).
fn check_identity(sub: &str, org: &str, roles: &[String]) -> Result<(), &'static str> {
    let one_line = |value: &str, max: usize| accord_domain::one_line("claim", value, max).is_ok();
    if !one_line(sub, MAX_SUBJECT_CHARS) {
        return Err("sub");
    }
    if !one_line(org, MAX_CODE_CHARS) {
        return Err("org");
    }
    if roles.is_empty()
        || roles.len() > MAX_ROLES
        || !roles.iter().all(|role| one_line(role, MAX_CODE_CHARS))
    {
        return Err("roles");
    }
    Ok(())
}

/// Checks a `name` claim that is present and not blank.
fn check_name(name: &str) -> Result<(), &'static str> {
    accord_domain::one_line("claim", name, MAX_NAME_CHARS)
        .map(|_| ())
        .map_err(|_| "name")
}

fn check_header(header: &Header) -> Result<(), AuthError> {
    let present = [
        header.jku.is_some(),
        header.x5u.is_some(),
        header.jwk.is_some(),
        header.x5c.is_some(),
    ];
    if let Some((name, _)) = FORBIDDEN_HEADERS.iter().zip(present).find(|(_, set)| *set) {
        return Err(AuthError::ForbiddenHeader((*name).to_owned()));
    }
    // We implement no JWS extensions, so any critical one must be refused
    // (RFC 7515 §4.1.11).
    if header.crit.is_some() {
        return Err(AuthError::ForbiddenHeader("crit".to_owned()));
    }
    Ok(())
}

/// Reads a public key PEM and picks the one algorithm it allows.
fn public_key(pem: &[u8]) -> Result<(Algorithm, DecodingKey), AuthSetupError> {
    let label = pem_label(pem)?;
    if label != "PUBLIC KEY" && label != "RSA PUBLIC KEY" {
        return Err(AuthSetupError::PublicKey("expected a PUBLIC KEY PEM block"));
    }
    if let Ok(key) = DecodingKey::from_ed_pem(pem) {
        if key.as_bytes().len() != 32 {
            return Err(AuthSetupError::PublicKey("malformed Ed25519 key"));
        }
        probe(&key, Algorithm::EdDSA)?;
        return Ok((Algorithm::EdDSA, key));
    }
    if let Ok(key) = DecodingKey::from_ec_pem(pem) {
        // SEC1 encoding of a P-256 point: 0x04 ‖ x ‖ y, or 0x02/0x03 ‖ x.
        let p256_sized = match key.as_bytes() {
            [0x04, rest @ ..] => rest.len() == 64,
            [0x02 | 0x03, rest @ ..] => rest.len() == 32,
            _ => false,
        };
        if !p256_sized {
            return Err(AuthSetupError::PublicKey(
                "only the P-256 curve is supported",
            ));
        }
        probe(&key, Algorithm::ES256)?;
        return Ok((Algorithm::ES256, key));
    }
    if let Ok(key) = DecodingKey::from_rsa_pem(pem) {
        match rsa_modulus_bits(key.as_bytes()) {
            Some(bits) if bits >= MIN_RSA_BITS => return Ok((Algorithm::RS256, key)),
            Some(_) => {
                return Err(AuthSetupError::PublicKey(
                    "RSA keys must have at least 2048 bits",
                ));
            }
            None => return Err(AuthSetupError::PublicKey("malformed RSA key")),
        }
    }
    Err(AuthSetupError::PublicKey(
        "not an Ed25519, P-256 or RSA public key",
    ))
}

/// The label of the single PEM block in `pem`.
fn pem_label(pem: &[u8]) -> Result<&str, AuthSetupError> {
    let text = std::str::from_utf8(pem).map_err(|_| AuthSetupError::PublicKey("not PEM text"))?;
    let mut labels = text.lines().filter_map(|line| {
        line.trim()
            .strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.strip_suffix("-----"))
    });
    match (labels.next(), labels.next()) {
        (Some(label), None) => Ok(label),
        (None, _) => Err(AuthSetupError::PublicKey("no PEM block")),
        (Some(_), Some(_)) => Err(AuthSetupError::PublicKey("expected exactly one PEM block")),
    }
}

/// Makes the crypto backend parse the key (it does so when it builds a
/// verifier), so that an unusable key fails at start-up, not on every request.
fn probe(key: &DecodingKey, algorithm: Algorithm) -> Result<(), AuthSetupError> {
    jsonwebtoken::crypto::verify("", b"", key, algorithm)
        .map(|_| ())
        .map_err(|_| AuthSetupError::PublicKey("the key is not valid for its algorithm"))
}

/// Size in bits of the modulus of a PKCS#1 `RSAPublicKey` (DER), or `None`
/// when it is not one.
fn rsa_modulus_bits(der: &[u8]) -> Option<usize> {
    let (sequence, _) = der_element(der, 0x30)?;
    let (modulus, rest) = der_element(sequence, 0x02)?;
    der_element(rest, 0x02)?; // the public exponent
    let first = modulus.iter().position(|b| *b != 0)?;
    let significant = modulus.get(first..)?;
    let top = significant.first()?;
    Some(significant.len() * 8 - top.leading_zeros() as usize)
}

/// Splits one DER element with tag `tag` off the front of `input`, returning
/// its contents and what follows it.
fn der_element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = input.split_first()?;
    if found != tag {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let (bytes, rest) = rest.split_at_checked(count)?;
        let len = bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, rest)
    };
    rest.split_at_checked(len)
}

/// Maps jsonwebtoken's errors onto ours, keeping internals out of messages.
fn map_jwt_error(error: jsonwebtoken::errors::Error) -> AuthError {
    match error.into_kind() {
        ErrorKind::ExpiredSignature => AuthError::Expired,
        ErrorKind::ImmatureSignature => AuthError::NotYetValid,
        ErrorKind::InvalidSignature
        | ErrorKind::InvalidEcdsaKey
        | ErrorKind::InvalidEddsaKey
        | ErrorKind::InvalidRsaKey(_)
        | ErrorKind::InvalidKeyFormat
        | ErrorKind::RsaFailedSigning
        | ErrorKind::Signing(_)
        | ErrorKind::Provider(_) => AuthError::BadSignature,
        ErrorKind::InvalidIssuer => AuthError::WrongIssuer,
        ErrorKind::InvalidAudience => AuthError::WrongAudience,
        ErrorKind::InvalidAlgorithm
        | ErrorKind::InvalidAlgorithmName
        | ErrorKind::MissingAlgorithm => AuthError::AlgorithmNotAllowed,
        ErrorKind::MissingRequiredClaim(claim) => AuthError::MissingClaim(claim),
        ErrorKind::InvalidClaimFormat(claim) => AuthError::InvalidClaims(claim),
        ErrorKind::InvalidSubject => AuthError::InvalidClaims("sub".to_owned()),
        ErrorKind::InvalidToken
        | ErrorKind::Base64(_)
        | ErrorKind::Json(_)
        | ErrorKind::Utf8(_) => AuthError::Malformed,
        _ => AuthError::Malformed,
    }
}

/// The identity a request's `Authorization` header proves: a bearer token
/// `verifier` accepts, of an organisation the store knows.
pub(crate) async fn authenticate(
    headers: &HeaderMap,
    verifier: &Verifier,
    store: &Store,
) -> Result<Actor, Denied> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(AuthError::Missing)
        .map_err(unauthenticated)?
        .to_str()
        .map_err(|_| unauthenticated(AuthError::Malformed))?;
    let token = bearer_token(value).map_err(unauthenticated)?;
    Ok(identify(token, verifier, store).await?.0)
}

/// The identity `token` proves, and until when (the token's `exp`, in
/// seconds since the Unix epoch): the token checked by `verifier`, its
/// organisation known to the store. Both the HTTP routes (through
/// [`authenticate`]) and the live updates' `connection_init` use it.
pub(crate) async fn identify(
    token: &str,
    verifier: &Verifier,
    store: &Store,
) -> Result<(Actor, i64), Denied> {
    let claims = verifier
        .verify_fetching(token)
        .await
        .map_err(unauthenticated)?;
    let refused = |why: String| {
        Denied::Unauthenticated(format!(
            "the token does not describe an Accord identity: {why}"
        ))
    };
    let org = OrgCode::parse(&claims.org).map_err(|e| refused(e.to_string()))?;
    let kind = accord_workflow::read::organization_kind(store, org.as_str())
        .await
        .map_err(|e| Denied::Internal(e.to_string()))?
        .ok_or_else(|| refused(format!("organisation {org} is not known")))?;
    let roles = claims
        .roles
        .iter()
        .map(|r| Role::from_claim(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| refused(e.to_string()))?;
    let actor = Actor::new(claims.sub, claims.name, org, kind, roles)
        .map_err(|e| refused(e.to_string()))?;
    Ok((actor, claims.exp))
}

/// A refused token, as every route reports it.
fn unauthenticated(error: AuthError) -> Denied {
    Denied::Unauthenticated(format!("authentication failed: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::ser::SerializeMap;
    use serde_json::json;

    const SECRET: &str = "a-development-secret-of-40-bytes-or-more";
    const ISSUER: &str = "https://id.accord.test";
    const AUDIENCE: &str = "accord-api";

    const RSA_PUBLIC_PEM: &str = include_str!("../testdata/rsa_public.pem");

    const RSA_PRIVATE_PEM: &str = include_str!("../testdata/rsa_private.pem");

    const RSA_1024_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDD2B+UdMZBgz6QiImzN9kvAKfG
qyXZ820ocDqZUXdcBHV5gKipjbXROr49NVABSTAZTlVsadZ3NA9p6RETaFZZ5Gvc
Z72JfkquxOyRF3AmrLehO3cRaE7rw2Xiy4eIH8FD0oig5+ngvKBZckgjOzPaIXtw
CA/crQ7IyY9to9nd7wIDAQAB
-----END PUBLIC KEY-----
";

    const ED25519_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAXUH+wrxrf7JdZH6FgDeOiRXjGnp1Aj/hYuoTckNYfnc=
-----END PUBLIC KEY-----
";

    const ED25519_PRIVATE_PEM: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEILlDZf2Ng2GkTmgMAPlBOwzfzi82Ih9KY4yQ0Kp/07Vr
-----END PRIVATE KEY-----
";

    const P256_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAETDZLbJ9GcPZTiEJ05+em+mEwbGxJ
Ea2sufvoMSjqv7vKrDru5+xSerp6i5BXPBNJB9Qnwlx4GLHr2i4xuMIBrA==
-----END PUBLIC KEY-----
";

    const P256_PRIVATE_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgk0EE/1vqkhcBPFVt
YWlz393CaxIcwTn8I6UoTybWt0yhRANCAARMNktsn0Zw9lOIQnTn56b6YTBsbEkR
ray5++gxKOq/u8qsOu7n7FJ6unqLkFc8E0kH1CfCXHgYsevaLjG4wgGs
-----END PRIVATE KEY-----
";

    const P384_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE7Joe1jeAh2pGIeuObmQKHvKnrsE+I7BY
rWDeGU2Y0H+6NW62uoyBXqnbHBZWMLCtXaQtWlcs35bM9sp/yE8I8N4zrw1eBuRI
fIN61tpvoZTqEBzFrNOQm7EOsa1Am2sx
-----END PUBLIC KEY-----
";

    /// base64url of `{"alg":"none","typ":"JWT"}`, `{"alg":"None",…}`, `{"alg":"NONE",…}`.
    const NONE_HEADERS: [&str; 3] = [
        "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0",
        "eyJhbGciOiJOb25lIiwidHlwIjoiSldUIn0",
        "eyJhbGciOiJOT05FIiwidHlwIjoiSldUIn0",
    ];

    fn hs_config() -> AuthConfig {
        AuthConfig {
            hs256_secret: Some(SECRET.to_owned()),
            public_key_pem: None,
            remote_keys: None,
            issuer: ISSUER.to_owned(),
            audience: AUDIENCE.to_owned(),
            leeway_secs: 30,
            max_lifetime_secs: DEFAULT_MAX_LIFETIME_SECS,
        }
    }

    fn pem_config(pem: &str) -> AuthConfig {
        AuthConfig {
            hs256_secret: None,
            public_key_pem: Some(pem.as_bytes().to_vec()),
            ..hs_config()
        }
    }

    fn hs_verifier() -> Verifier {
        Verifier::new(&hs_config()).unwrap()
    }

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    /// A complete, currently valid claim set.
    fn claims() -> Value {
        let now = now();
        json!({
            "sub": "person-1",
            "name": "Ada Delegate",
            "org": "CICA",
            "roles": ["delegate"],
            "iss": ISSUER,
            "aud": AUDIENCE,
            "exp": now + 600,
            "nbf": now,
            "iat": now,
        })
    }

    fn with(mut claims: Value, name: &str, value: Value) -> Value {
        claims[name] = value;
        claims
    }

    fn without(mut claims: Value, name: &str) -> Value {
        if let Some(object) = claims.as_object_mut() {
            object.remove(name);
        }
        claims
    }

    fn sign<T: Serialize>(header: &Header, claims: &T, key: &EncodingKey) -> String {
        jsonwebtoken::encode(header, claims, key).unwrap()
    }

    fn sign_hs<T: Serialize>(claims: &T) -> String {
        sign(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
    }

    /// A JSON object serialised member by member, so names may repeat.
    struct Members(Vec<(&'static str, Value)>);

    impl Serialize for Members {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(self.0.len()))?;
            for (name, value) in &self.0 {
                map.serialize_entry(name, value)?;
            }
            map.end()
        }
    }

    fn members_of(claims: Value) -> Vec<(&'static str, Value)> {
        [
            "sub", "name", "org", "roles", "iss", "aud", "exp", "nbf", "iat",
        ]
        .into_iter()
        .map(|name| (name, claims[name].clone()))
        .collect()
    }

    #[test]
    fn a_valid_token_is_accepted() {
        let expected = claims();
        let verified = hs_verifier().verify(&sign_hs(&expected)).unwrap();
        assert_eq!(verified.sub, "person-1");
        assert_eq!(verified.name, "Ada Delegate");
        assert_eq!(verified.org, "CICA");
        assert_eq!(verified.roles, vec!["delegate".to_owned()]);
        assert_eq!(verified.iss, ISSUER);
        assert_eq!(verified.aud, AUDIENCE);
        assert_eq!(Some(verified.exp), expected["exp"].as_i64());
        assert_eq!(Some(verified.nbf), expected["nbf"].as_i64());
        assert_eq!(verified.iat, expected["iat"].as_i64());
        assert_eq!(hs_verifier().algorithm(), Some(Algorithm::HS256));
    }

    #[test]
    fn a_token_expired_beyond_the_leeway_is_rejected() {
        let token = sign_hs(&with(claims(), "exp", json!(now() - 31 - 5)));
        assert_eq!(
            hs_verifier().verify(&token).unwrap_err(),
            AuthError::Expired
        );
    }

    #[test]
    fn a_token_expired_within_the_leeway_is_accepted() {
        let token = sign_hs(&with(claims(), "exp", json!(now() - 10)));
        assert!(hs_verifier().verify(&token).is_ok());
    }

    #[test]
    fn a_token_not_yet_valid_beyond_the_leeway_is_rejected() {
        let token = sign_hs(&with(claims(), "nbf", json!(now() + 120)));
        assert_eq!(
            hs_verifier().verify(&token).unwrap_err(),
            AuthError::NotYetValid
        );
    }

    #[test]
    fn a_token_not_yet_valid_within_the_leeway_is_accepted() {
        let token = sign_hs(&with(claims(), "nbf", json!(now() + 10)));
        assert!(hs_verifier().verify(&token).is_ok());
    }

    #[test]
    fn a_token_from_another_issuer_is_rejected() {
        let token = sign_hs(&with(claims(), "iss", json!("https://evil.test")));
        assert_eq!(
            hs_verifier().verify(&token).unwrap_err(),
            AuthError::WrongIssuer
        );
    }

    #[test]
    fn an_issuer_array_is_rejected() {
        let token = sign_hs(&with(claims(), "iss", json!([ISSUER])));
        assert_eq!(
            hs_verifier().verify(&token).unwrap_err(),
            AuthError::InvalidClaims("types".to_owned())
        );
    }

    #[test]
    fn a_token_for_another_audience_is_rejected() {
        let token = sign_hs(&with(claims(), "aud", json!("another-api")));
        assert_eq!(
            hs_verifier().verify(&token).unwrap_err(),
            AuthError::WrongAudience
        );
    }

    #[test]
    fn an_audience_array_containing_ours_is_accepted() {
        let token = sign_hs(&with(claims(), "aud", json!(["another-api", AUDIENCE])));
        let verified = hs_verifier().verify(&token).unwrap();
        assert_eq!(verified.aud, AUDIENCE);
    }

    #[test]
    fn an_audience_array_without_ours_is_rejected() {
        for aud in [json!(["another-api"]), json!([])] {
            let token = sign_hs(&with(claims(), "aud", aud));
            assert!(hs_verifier().verify(&token).is_err());
        }
    }

    #[test]
    fn a_token_signed_with_another_key_is_rejected() {
        let token = sign(
            &Header::new(Algorithm::HS256),
            &claims(),
            &EncodingKey::from_secret(b"another-secret-that-is-long-enough-too"),
        );
        assert_eq!(
            hs_verifier().verify(&token).unwrap_err(),
            AuthError::BadSignature
        );
    }

    #[test]
    fn an_unsigned_token_with_alg_none_in_any_case_is_rejected() {
        let valid = sign_hs(&claims());
        let payload = valid.split('.').nth(1).unwrap();
        for header in NONE_HEADERS {
            let token = format!("{header}.{payload}.");
            // `none` is not even an algorithm name jsonwebtoken can parse.
            assert_eq!(
                hs_verifier().verify(&token).unwrap_err(),
                AuthError::Malformed
            );
            let verifier = Verifier::new(&pem_config(RSA_PUBLIC_PEM)).unwrap();
            assert_eq!(verifier.verify(&token).unwrap_err(), AuthError::Malformed);
        }
    }

    #[test]
    fn an_hs256_token_keyed_with_the_rsa_public_key_is_rejected() {
        let verifier = Verifier::new(&pem_config(RSA_PUBLIC_PEM)).unwrap();
        assert_eq!(verifier.algorithm(), Some(Algorithm::RS256));
        let token = sign(
            &Header::new(Algorithm::HS256),
            &claims(),
            &EncodingKey::from_secret(RSA_PUBLIC_PEM.as_bytes()),
        );
        assert_eq!(
            verifier.verify(&token).unwrap_err(),
            AuthError::AlgorithmNotAllowed
        );
    }

    #[test]
    fn an_rs256_token_verifies_with_the_rsa_public_key() {
        let verifier = Verifier::new(&pem_config(RSA_PUBLIC_PEM)).unwrap();
        let key = EncodingKey::from_rsa_pem(RSA_PRIVATE_PEM.as_bytes()).unwrap();
        let token = sign(&Header::new(Algorithm::RS256), &claims(), &key);
        assert_eq!(verifier.verify(&token).unwrap().sub, "person-1");
    }

    #[test]
    fn other_rsa_algorithms_are_rejected_by_an_rs256_verifier() {
        let verifier = Verifier::new(&pem_config(RSA_PUBLIC_PEM)).unwrap();
        let key = EncodingKey::from_rsa_pem(RSA_PRIVATE_PEM.as_bytes()).unwrap();
        for alg in [Algorithm::RS384, Algorithm::RS512, Algorithm::PS256] {
            let token = sign(&Header::new(alg), &claims(), &key);
            assert_eq!(
                verifier.verify(&token).unwrap_err(),
                AuthError::AlgorithmNotAllowed
            );
        }
    }

    #[test]
    fn public_key_tokens_are_rejected_when_a_secret_is_configured() {
        let rsa = EncodingKey::from_rsa_pem(RSA_PRIVATE_PEM.as_bytes()).unwrap();
        let ed = EncodingKey::from_ed_pem(ED25519_PRIVATE_PEM.as_bytes()).unwrap();
        let ec = EncodingKey::from_ec_pem(P256_PRIVATE_PEM.as_bytes()).unwrap();
        let tokens = [
            sign(&Header::new(Algorithm::RS256), &claims(), &rsa),
            sign(&Header::new(Algorithm::EdDSA), &claims(), &ed),
            sign(&Header::new(Algorithm::ES256), &claims(), &ec),
        ];
        for token in tokens {
            assert_eq!(
                hs_verifier().verify(&token).unwrap_err(),
                AuthError::AlgorithmNotAllowed
            );
        }
    }

    #[test]
    fn an_eddsa_token_verifies_with_the_ed25519_public_key() {
        let verifier = Verifier::new(&pem_config(ED25519_PUBLIC_PEM)).unwrap();
        assert_eq!(verifier.algorithm(), Some(Algorithm::EdDSA));
        let key = EncodingKey::from_ed_pem(ED25519_PRIVATE_PEM.as_bytes()).unwrap();
        let token = sign(&Header::new(Algorithm::EdDSA), &claims(), &key);
        assert_eq!(verifier.verify(&token).unwrap().org, "CICA");
    }

    #[test]
    fn an_es256_token_verifies_with_the_p256_public_key() {
        let verifier = Verifier::new(&pem_config(P256_PUBLIC_PEM)).unwrap();
        assert_eq!(verifier.algorithm(), Some(Algorithm::ES256));
        let key = EncodingKey::from_ec_pem(P256_PRIVATE_PEM.as_bytes()).unwrap();
        let token = sign(&Header::new(Algorithm::ES256), &claims(), &key);
        assert_eq!(verifier.verify(&token).unwrap().sub, "person-1");
    }

    #[test]
    fn a_p384_public_key_is_refused() {
        assert!(matches!(
            Verifier::new(&pem_config(P384_PUBLIC_PEM)),
            Err(AuthSetupError::PublicKey(_))
        ));
    }

    #[test]
    fn an_rsa_key_shorter_than_2048_bits_is_refused() {
        assert!(matches!(
            Verifier::new(&pem_config(RSA_1024_PUBLIC_PEM)),
            Err(AuthSetupError::PublicKey(_))
        ));
    }

    #[test]
    fn a_private_key_or_garbage_is_refused_as_a_public_key() {
        for pem in [
            RSA_PRIVATE_PEM,
            ED25519_PRIVATE_PEM,
            P256_PRIVATE_PEM,
            "not a key",
            "",
        ] {
            assert!(matches!(
                Verifier::new(&pem_config(pem)),
                Err(AuthSetupError::PublicKey(_))
            ));
        }
        let two_blocks = format!("{RSA_PUBLIC_PEM}{ED25519_PUBLIC_PEM}");
        assert!(Verifier::new(&pem_config(&two_blocks)).is_err());
    }

    #[test]
    fn each_missing_required_claim_is_rejected() {
        for name in ["exp", "nbf", "sub", "iss", "aud"] {
            let token = sign_hs(&without(claims(), name));
            assert_eq!(
                hs_verifier().verify(&token).unwrap_err(),
                AuthError::MissingClaim(name.to_owned()),
                "{name}"
            );
        }
        for name in ["org", "roles"] {
            let token = sign_hs(&without(claims(), name));
            assert_eq!(
                hs_verifier().verify(&token).unwrap_err(),
                AuthError::MissingClaim(name.to_owned()),
                "{name}"
            );
        }
    }

    #[test]
    fn an_expiry_or_start_given_as_a_string_is_rejected() {
        for name in ["exp", "nbf"] {
            let claims = claims();
            let as_string = claims[name].as_i64().unwrap().to_string();
            let token = sign_hs(&with(claims, name, json!(as_string)));
            // jsonwebtoken cannot read it as a NumericDate, so it is absent to it.
            assert_eq!(
                hs_verifier().verify(&token).unwrap_err(),
                AuthError::MissingClaim(name.to_owned()),
                "{name}"
            );
        }
    }

    #[test]
    fn a_fractional_expiry_is_rejected() {
        let token = sign_hs(&with(claims(), "exp", json!(now() as f64 + 600.5)));
        assert_eq!(
            hs_verifier().verify(&token).unwrap_err(),
            AuthError::InvalidClaims("types".to_owned())
        );
    }

    #[test]
    fn a_tampered_payload_is_rejected() {
        let valid = sign_hs(&claims());
        let mut parts = valid.split('.');
        let (header, _, signature) = (parts.next().unwrap(), parts.next(), parts.next().unwrap());
        let forged = sign_hs(&with(claims(), "roles", json!(["admin"])));
        let forged_payload = forged.split('.').nth(1).unwrap();
        let token = format!("{header}.{forged_payload}.{signature}");
        assert_eq!(
            hs_verifier().verify(&token).unwrap_err(),
            AuthError::BadSignature
        );
    }

    #[test]
    fn a_stripped_signature_is_rejected() {
        let valid = sign_hs(&claims());
        let unsigned = &valid[..=valid.rfind('.').unwrap()];
        assert_eq!(
            hs_verifier().verify(unsigned).unwrap_err(),
            AuthError::BadSignature
        );
        assert_eq!(
            hs_verifier()
                .verify(unsigned.trim_end_matches('.'))
                .unwrap_err(),
            AuthError::Malformed
        );
    }

    #[test]
    fn a_header_with_jku_is_rejected() {
        let mut header = Header::new(Algorithm::HS256);
        header.jku = Some("https://evil.test/keys.json".to_owned());
        let token = sign(
            &header,
            &claims(),
            &EncodingKey::from_secret(SECRET.as_bytes()),
        );
        assert_eq!(
            hs_verifier().verify(&token).unwrap_err(),
            AuthError::ForbiddenHeader("jku".to_owned())
        );
    }

    #[test]
    fn headers_with_x5u_x5c_jwk_or_crit_are_rejected() {
        let key = EncodingKey::from_secret(SECRET.as_bytes());
        let mut x5u = Header::new(Algorithm::HS256);
        x5u.x5u = Some("https://evil.test/cert.pem".to_owned());
        let mut x5c = Header::new(Algorithm::HS256);
        x5c.x5c = Some(vec!["MIIB".to_owned()]);
        let mut jwk = Header::new(Algorithm::HS256);
        jwk.jwk = Some(jsonwebtoken::jwk::Jwk::from_encoding_key(&key, Algorithm::HS256).unwrap());
        let mut crit = Header::new(Algorithm::HS256);
        crit.crit = Some(vec!["exp".to_owned()]);
        for (name, header) in [("x5u", x5u), ("x5c", x5c), ("jwk", jwk), ("crit", crit)] {
            let token = sign(&header, &claims(), &key);
            assert_eq!(
                hs_verifier().verify(&token).unwrap_err(),
                AuthError::ForbiddenHeader(name.to_owned())
            );
        }
    }

    #[test]
    fn a_kid_header_is_ignored() {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some("some-key".to_owned());
        let token = sign(
            &header,
            &claims(),
            &EncodingKey::from_secret(SECRET.as_bytes()),
        );
        assert!(hs_verifier().verify(&token).is_ok());
    }

    #[test]
    fn serde_json_maps_keep_the_last_repeated_name_silently() {
        // The behaviour that makes our own check necessary.
        let map: Map<String, Value> = serde_json::from_str(r#"{"sub":"a","sub":"b"}"#).unwrap();
        assert_eq!(map["sub"], "b");
    }

    #[test]
    fn a_duplicate_sub_claim_is_rejected() {
        let mut members = members_of(claims());
        members.push(("sub", json!("someone-else")));
        let token = sign_hs(&Members(members));
        assert_eq!(
            hs_verifier().verify(&token).unwrap_err(),
            AuthError::Malformed
        );
    }

    #[test]
    fn a_duplicate_unknown_claim_is_rejected() {
        let mut members = members_of(claims());
        members.push(("extra", json!(1)));
        members.push(("extra", json!(2)));
        let token = sign_hs(&Members(members));
        assert_eq!(
            hs_verifier().verify(&token).unwrap_err(),
            AuthError::Malformed
        );
    }

    #[test]
    fn a_missing_name_defaults_to_the_subject() {
        let token = sign_hs(&without(claims(), "name"));
        assert_eq!(hs_verifier().verify(&token).unwrap().name, "person-1");
    }

    #[test]
    fn empty_subject_org_or_roles_are_rejected() {
        let cases = [
            ("sub", json!("")),
            ("sub", json!("x".repeat(201))),
            ("org", json!("")),
            ("roles", json!([])),
            ("roles", json!([""])),
        ];
        for (name, value) in cases {
            let token = sign_hs(&with(claims(), name, value));
            assert_eq!(
                hs_verifier().verify(&token).unwrap_err(),
                AuthError::InvalidClaims(name.to_owned())
            );
        }
        let token = sign_hs(&with(claims(), "sub", json!("x".repeat(200))));
        assert!(hs_verifier().verify(&token).is_ok());
    }

    #[test]
    fn claims_with_control_or_bidi_characters_or_oversized_are_rejected() {
        let cases = [
            ("sub", json!("person\u{0}")),
            ("sub", json!("person\r\n1")),
            ("sub", json!("\u{202e}person")),
            ("name", json!("Ada\u{0}Delegate")),
            ("name", json!("Ada\nDelegate")),
            ("name", json!("Ada\u{85}")),
            ("name", json!("x".repeat(MAX_NAME_CHARS + 1))),
            ("org", json!("KAZ\u{0}")),
            ("org", json!("K".repeat(65))),
            ("roles", json!(["delegate\u{0}"])),
            ("roles", json!(vec!["delegate"; 17])),
        ];
        for (name, value) in cases {
            let token = sign_hs(&with(claims(), name, value.clone()));
            assert_eq!(
                hs_verifier().verify(&token).unwrap_err(),
                AuthError::InvalidClaims(name.to_owned()),
                "{name} = {value}"
            );
        }
        let token = sign_hs(&with(claims(), "name", json!("Әлия Нұрланқызы")));
        assert!(hs_verifier().verify(&token).is_ok());
    }

    #[test]
    fn a_token_living_longer_than_the_maximum_is_rejected() {
        let day = i64::try_from(DEFAULT_MAX_LIFETIME_SECS).unwrap();
        let long = with(claims(), "exp", json!(now() + day + 60));
        assert_eq!(
            hs_verifier().verify(&sign_hs(&long)).unwrap_err(),
            AuthError::TooLongLived
        );
        // Without `iat`, the lifetime counts from `nbf`.
        let long = without(with(claims(), "exp", json!(now() + day + 60)), "iat");
        assert_eq!(
            hs_verifier().verify(&sign_hs(&long)).unwrap_err(),
            AuthError::TooLongLived
        );
        // An `iat` long before `nbf` counts from `iat`.
        let old = with(claims(), "iat", json!(now() - day - 60));
        assert_eq!(
            hs_verifier().verify(&sign_hs(&old)).unwrap_err(),
            AuthError::TooLongLived
        );
        let exactly = with(claims(), "exp", json!(now() + day - 5));
        assert!(hs_verifier().verify(&sign_hs(&exactly)).is_ok());
        let short = Verifier::new(&AuthConfig {
            max_lifetime_secs: 300,
            ..hs_config()
        })
        .unwrap();
        assert_eq!(
            short.verify(&sign_hs(&claims())).unwrap_err(),
            AuthError::TooLongLived
        );
    }

    #[test]
    fn a_token_issued_in_the_future_is_rejected_beyond_the_leeway() {
        let future = with(claims(), "iat", json!(now() + 120));
        assert_eq!(
            hs_verifier().verify(&sign_hs(&future)).unwrap_err(),
            AuthError::IssuedInFuture
        );
        let within = with(claims(), "iat", json!(now() + 10));
        assert!(hs_verifier().verify(&sign_hs(&within)).is_ok());
    }

    #[test]
    fn a_zero_maximum_lifetime_is_a_configuration_error() {
        assert!(matches!(
            Verifier::new(&AuthConfig {
                max_lifetime_secs: 0,
                ..hs_config()
            }),
            Err(AuthSetupError::Config(_))
        ));
    }

    #[test]
    fn empty_or_oversized_tokens_are_rejected() {
        assert_eq!(hs_verifier().verify("").unwrap_err(), AuthError::Missing);
        assert_eq!(
            hs_verifier().verify("a.b").unwrap_err(),
            AuthError::Malformed
        );
        assert_eq!(
            hs_verifier().verify("a.b.c.d").unwrap_err(),
            AuthError::Malformed
        );
        let huge = format!("{}.b.c", "a".repeat(MAX_TOKEN_BYTES));
        assert_eq!(
            hs_verifier().verify(&huge).unwrap_err(),
            AuthError::Malformed
        );
    }

    #[test]
    fn a_secret_of_31_bytes_is_a_setup_error() {
        let config = AuthConfig {
            hs256_secret: Some("x".repeat(31)),
            ..hs_config()
        };
        let error = Verifier::new(&config).unwrap_err();
        assert_eq!(error, AuthSetupError::SecretTooShort);
        assert!(error.to_string().contains("at least 32 bytes"));
        let config = AuthConfig {
            hs256_secret: Some("x".repeat(32)),
            ..hs_config()
        };
        assert!(Verifier::new(&config).is_ok());
    }

    #[test]
    fn configuring_both_or_neither_key_is_a_setup_error() {
        let both = AuthConfig {
            public_key_pem: Some(RSA_PUBLIC_PEM.as_bytes().to_vec()),
            ..hs_config()
        };
        assert_eq!(Verifier::new(&both).unwrap_err(), AuthSetupError::KeyChoice);
        let neither = AuthConfig {
            hs256_secret: None,
            ..hs_config()
        };
        assert_eq!(
            Verifier::new(&neither).unwrap_err(),
            AuthSetupError::KeyChoice
        );
    }

    #[test]
    fn an_empty_issuer_or_audience_or_a_large_leeway_is_a_setup_error() {
        let configs = [
            AuthConfig {
                issuer: String::new(),
                ..hs_config()
            },
            AuthConfig {
                audience: " ".to_owned(),
                ..hs_config()
            },
            AuthConfig {
                leeway_secs: MAX_LEEWAY_SECS + 1,
                ..hs_config()
            },
        ];
        for config in configs {
            assert!(matches!(
                Verifier::new(&config),
                Err(AuthSetupError::Config(_))
            ));
        }
    }

    #[test]
    fn the_config_debug_output_hides_the_secret() {
        assert!(!format!("{:?}", hs_config()).contains(SECRET));
        assert!(!format!("{:?}", hs_verifier()).contains(SECRET));
    }

    fn request() -> TokenRequest {
        TokenRequest {
            sub: "person-2".to_owned(),
            name: "Grace Secretariat".to_owned(),
            org: "SCO".to_owned(),
            roles: vec!["secretariat".to_owned(), "admin".to_owned()],
            ttl: chrono::Duration::hours(1),
        }
    }

    #[test]
    fn a_minted_token_verifies_and_carries_the_requested_claims() {
        let token = mint_hs256(SECRET, ISSUER, AUDIENCE, &request()).unwrap();
        let claims = hs_verifier().verify(&token).unwrap();
        assert_eq!(claims.sub, "person-2");
        assert_eq!(claims.name, "Grace Secretariat");
        assert_eq!(claims.org, "SCO");
        assert_eq!(
            claims.roles,
            vec!["secretariat".to_owned(), "admin".to_owned()]
        );
        assert_eq!(claims.iat, Some(claims.nbf));
        assert_eq!(claims.exp - claims.nbf, 3600);
    }

    #[test]
    fn minting_refuses_weak_secrets_and_bad_requests() {
        assert_eq!(
            mint_hs256(&"x".repeat(31), ISSUER, AUDIENCE, &request()).unwrap_err(),
            AuthSetupError::SecretTooShort
        );
        let bad = [
            TokenRequest {
                ttl: chrono::Duration::zero(),
                ..request()
            },
            TokenRequest {
                sub: String::new(),
                ..request()
            },
            TokenRequest {
                org: String::new(),
                ..request()
            },
            TokenRequest {
                roles: Vec::new(),
                ..request()
            },
        ];
        for req in bad {
            assert!(matches!(
                mint_hs256(SECRET, ISSUER, AUDIENCE, &req),
                Err(AuthSetupError::Mint(_))
            ));
        }
    }

    #[test]
    fn bearer_token_extracts_the_token_from_the_authorization_header() {
        assert_eq!(bearer_token("Bearer abc.def.ghi"), Ok("abc.def.ghi"));
        assert_eq!(bearer_token("bearer abc.def.ghi"), Ok("abc.def.ghi"));
        assert_eq!(bearer_token("BEARER a-b_c.d.e"), Ok("a-b_c.d.e"));
        assert_eq!(bearer_token(""), Err(AuthError::Missing));
        assert_eq!(bearer_token("Bearer"), Err(AuthError::Missing));
        assert_eq!(bearer_token("Bearer "), Err(AuthError::Missing));
        assert_eq!(
            bearer_token("Basic dXNlcjpwYXNz"),
            Err(AuthError::Malformed)
        );
        assert_eq!(bearer_token("Bearer  abc"), Err(AuthError::Malformed));
        assert_eq!(bearer_token("Bearer abc def"), Err(AuthError::Malformed));
        assert_eq!(bearer_token("Bearer abc+/="), Err(AuthError::Malformed));
        assert_eq!(bearer_token("Bearerabc"), Err(AuthError::Malformed));
        let long = format!("Bearer {}", "a".repeat(MAX_TOKEN_BYTES + 1));
        assert_eq!(bearer_token(&long), Err(AuthError::Malformed));
        let longest = format!("Bearer {}", "a".repeat(MAX_TOKEN_BYTES));
        assert!(bearer_token(&longest).is_ok());
    }
}
