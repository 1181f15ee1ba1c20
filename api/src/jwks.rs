//! The keys of an external identity provider, fetched from its JWKS (a
//! JSON Web Key Set, RFC 7517): named directly (`ACCORD_JWT_JWKS_URL`) or
//! found through OpenID Connect discovery (`ACCORD_JWT_OIDC_ISSUER`: the
//! `jwks_uri` of `<issuer>/.well-known/openid-configuration`).
//!
//! - **Cached, refreshed on an unknown `kid`.** The set is fetched at
//!   start-up and kept; a token naming a key the set lacks (the provider
//!   rotated its keys) makes one refresh, and is then verified or refused.
//! - **Refreshes are bounded.** Refreshes asked for by unknown keys happen at
//!   most once per `min_refresh` (a burst of made-up `kid`s costs the
//!   provider one request), and concurrent misses share one fetch: they wait
//!   for it and look again. A set older than `max_age` is refreshed by the
//!   next token, within the same bound.
//! - **The key decides the algorithm.** Each key allows exactly one
//!   algorithm, from its type (RSA of at least 2048 bits: RS256, or the
//!   RSA algorithm its `alg` names; EC P-256: ES256; P-384: ES384;
//!   Ed25519: EdDSA); symmetric (`oct`) keys and keys for encryption
//!   (`use: enc`) are left out.
//! - **Only HTTPS**, except on the loopback interface (a provider on the
//!   same machine, and the tests); no redirects; answers of at most
//!   [`MAX_DOCUMENT_BYTES`], within [`FETCH_TIMEOUT`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use base64::Engine as _;
use jsonwebtoken::jwk::{
    AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm, PublicKeyUse,
};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;
use thiserror::Error;

/// The largest discovery document or key set read, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;

/// The longest a fetch of a discovery document or key set takes.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// The most keys kept from one set.
const MAX_KEYS: usize = 64;

/// Smallest accepted RSA modulus, in bits.
const MIN_RSA_BITS: usize = 2048;

/// Where the keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// A JWKS URL.
    Jwks(String),
    /// An OpenID Connect issuer, whose discovery document names the JWKS.
    OpenIdIssuer(String),
}

/// How a [`RemoteKeys`] fetches and refreshes.
#[derive(Debug, Clone)]
pub struct RemoteKeysConfig {
    /// Where the keys come from.
    pub source: KeySource,
    /// The shortest time between two refreshes asked for by unknown keys.
    pub min_refresh: Duration,
    /// The age after which the set is refreshed by the next token.
    pub max_age: Duration,
}

/// Why the keys could not be had.
#[derive(Debug, Error)]
pub enum KeysError {
    /// A URL is not one Accord fetches keys from.
    #[error("{0} is not an https:// URL (http:// is allowed on the loopback interface only)")]
    Insecure(String),
    /// The HTTP client could not be built.
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
    /// The provider could not be reached, or answered with an error.
    #[error("fetching {url}: {reason}")]
    Fetch {
        /// What was fetched.
        url: String,
        /// Why it failed.
        reason: String,
    },
    /// The answer is not a discovery document or key set as expected.
    #[error("{url}: {reason}")]
    Invalid {
        /// What was fetched.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// One usable key and the one algorithm it verifies.
#[derive(Clone)]
pub struct UsableKey {
    /// The algorithm the key allows.
    pub algorithm: Algorithm,
    /// The key.
    pub key: DecodingKey,
}

/// A fetched key set: keys by `kid`, and when it was fetched.
struct KeySet {
    keys: HashMap<String, UsableKey>,
    /// The only key of a set that has one key and no `kid` on it.
    lone: Option<UsableKey>,
    fetched: Instant,
}

/// An identity provider's keys, cached and refreshed (see the module's
/// documentation). Cheap to share: verifiers hold it in an `Arc`.
pub struct RemoteKeys {
    config: RemoteKeysConfig,
    client: reqwest::Client,
    set: RwLock<Option<Arc<KeySet>>>,
    /// Held while fetching; holds when the last refresh asked for by a
    /// token began.
    refreshing: tokio::sync::Mutex<Option<Instant>>,
    /// The JWKS URL, once discovered.
    jwks_url: RwLock<Option<String>>,
    fetches: AtomicU64,
}

impl std::fmt::Debug for RemoteKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteKeys")
            .field("config", &self.config)
            .field("fetches", &self.fetches.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// The key a token names, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// The set has no such key (after a refresh, if one was allowed).
    Unknown,
}

impl RemoteKeys {
    /// Keys from `config.source`, not fetched yet (see [`RemoteKeys::load`]).
    pub fn new(config: RemoteKeysConfig) -> Result<RemoteKeys, KeysError> {
        let url = match &config.source {
            KeySource::Jwks(url) | KeySource::OpenIdIssuer(url) => url,
        };
        check_url(url)?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(FETCH_TIMEOUT)
            .connect_timeout(FETCH_TIMEOUT)
            .build()
            .map_err(|error| KeysError::Client(error.to_string()))?;
        let jwks_url = match &config.source {
            KeySource::Jwks(url) => Some(url.clone()),
            KeySource::OpenIdIssuer(_) => None,
        };
        Ok(RemoteKeys {
            config,
            client,
            set: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(None),
            jwks_url: RwLock::new(jwks_url),
            fetches: AtomicU64::new(0),
        })
    }

    /// Fetches the set now (at start-up), whatever the bound.
    pub async fn load(&self) -> Result<usize, KeysError> {
        let _fetching = self.refreshing.lock().await;
        let set = self.fetch().await?;
        let count = set.keys.len() + usize::from(set.lone.is_some());
        self.store(set);
        Ok(count)
    }

    /// How many times a key set was fetched.
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// The key named `kid` (a token without one may use the set's lone
    /// key), refreshing the set once, within the bound, if it lacks it or
    /// is older than its maximum age.
    pub async fn key(&self, kid: Option<&str>) -> Result<UsableKey, Lookup> {
        let seen = self.current();
        let stale = seen
            .as_ref()
            .is_none_or(|set| set.fetched.elapsed() >= self.config.max_age);
        if !stale && let Some(key) = seen.as_deref().and_then(|set| find(set, kid)) {
            return Ok(key);
        }
        let mut last = self.refreshing.lock().await;
        // Someone else may have refreshed while this waited: look again,
        // and do not fetch a second time for the same miss.
        let now_set = self.current();
        let refreshed_meanwhile = match (&seen, &now_set) {
            (Some(before), Some(after)) => !Arc::ptr_eq(before, after),
            (None, Some(_)) => true,
            _ => false,
        };
        if refreshed_meanwhile {
            drop(last);
            return now_set
                .as_deref()
                .and_then(|set| find(set, kid))
                .ok_or(Lookup::Unknown);
        }
        let allowed = last.is_none_or(|at| at.elapsed() >= self.config.min_refresh);
        if allowed {
            *last = Some(Instant::now());
            match self.fetch().await {
                Ok(set) => self.store(set),
                Err(error) => {
                    tracing::warn!(%error, "the identity provider's keys were not refreshed")
                }
            }
        }
        drop(last);
        self.current()
            .as_deref()
            .and_then(|set| find(set, kid))
            .ok_or(Lookup::Unknown)
    }

    fn current(&self) -> Option<Arc<KeySet>> {
        self.set.read().map_or(None, |set| set.clone())
    }

    fn store(&self, set: KeySet) {
        if let Ok(mut slot) = self.set.write() {
            *slot = Some(Arc::new(set));
        }
    }

    /// Fetches the set (discovering its URL first if need be).
    async fn fetch(&self) -> Result<KeySet, KeysError> {
        let known = self.jwks_url.read().map_or(None, |url| url.clone());
        let url = match (known, &self.config.source) {
            (Some(url), _) => url,
            (None, KeySource::OpenIdIssuer(issuer)) => {
                let url = self.discover(issuer).await?;
                if let Ok(mut slot) = self.jwks_url.write() {
                    *slot = Some(url.clone());
                }
                url
            }
            (None, KeySource::Jwks(url)) => url.clone(),
        };
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let bytes = self.get(&url).await?;
        let set: JwkSet = serde_json::from_slice(&bytes).map_err(|error| KeysError::Invalid {
            url: url.clone(),
            reason: format!("not a JWK set: {error}"),
        })?;
        let mut keys = HashMap::new();
        let mut unnamed = Vec::new();
        for jwk in set.keys.iter().take(MAX_KEYS) {
            match usable(jwk) {
                Ok(key) => match &jwk.common.key_id {
                    Some(kid) => {
                        keys.insert(kid.clone(), key);
                    }
                    None => unnamed.push(key),
                },
                Err(why) => {
                    tracing::info!(kid = ?jwk.common.key_id, why, "a key of the identity provider is left out");
                }
            }
        }
        let lone = match (keys.is_empty(), unnamed.len()) {
            (true, 1) => unnamed.pop(),
            _ => None,
        };
        Ok(KeySet {
            keys,
            lone,
            fetched: Instant::now(),
        })
    }

    /// The `jwks_uri` of `issuer`'s discovery document, whose `issuer`
    /// must be `issuer` itself (OpenID Connect Discovery §4.3).
    async fn discover(&self, issuer: &str) -> Result<String, KeysError> {
        #[derive(Deserialize)]
        struct Discovery {
            issuer: String,
            jwks_uri: String,
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        let bytes = self.get(&url).await?;
        let document: Discovery =
            serde_json::from_slice(&bytes).map_err(|error| KeysError::Invalid {
                url: url.clone(),
                reason: format!("not a discovery document: {error}"),
            })?;
        if document.issuer != issuer {
            return Err(KeysError::Invalid {
                url,
                reason: format!("it names the issuer {:?}", document.issuer),
            });
        }
        check_url(&document.jwks_uri)?;
        Ok(document.jwks_uri)
    }

    /// The body of `GET url`, at most [`MAX_DOCUMENT_BYTES`].
    async fn get(&self, url: &str) -> Result<Vec<u8>, KeysError> {
        let failed = |reason: String| KeysError::Fetch {
            url: url.to_owned(),
            reason,
        };
        let mut response = self
            .client
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|error| failed(error.without_url().to_string()))?;
        if !response.status().is_success() {
            return Err(failed(format!("status {}", response.status())));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| failed(error.without_url().to_string()))?
        {
            if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                return Err(failed(format!("larger than {MAX_DOCUMENT_BYTES} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

fn find(set: &KeySet, kid: Option<&str>) -> Option<UsableKey> {
    match kid {
        Some(kid) => set.keys.get(kid).cloned(),
        None => set.lone.clone(),
    }
}

/// Refuses a URL that is not HTTPS, unless it is HTTP to the loopback
/// interface.
fn check_url(url: &str) -> Result<(), KeysError> {
    let insecure = || KeysError::Insecure(url.to_owned());
    let parsed = reqwest::Url::parse(url).map_err(|_| insecure())?;
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => {
            let host = parsed.host_str().unwrap_or_default();
            let ip = host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>();
            if host == "localhost" || ip.is_ok_and(|ip| ip.is_loopback()) {
                Ok(())
            } else {
                Err(insecure())
            }
        }
        _ => Err(insecure()),
    }
}

/// The key `jwk` and its one algorithm, or why Accord does not use it.
fn usable(jwk: &Jwk) -> Result<UsableKey, &'static str> {
    if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
        return Err("a key for encryption");
    }
    let named = jwk.common.key_algorithm;
    let algorithm = match &jwk.algorithm {
        AlgorithmParameters::RSA(rsa) => {
            let modulus = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(rsa.n.trim_end_matches('='))
                .map_err(|_| "a malformed RSA modulus")?;
            let first = modulus
                .iter()
                .position(|b| *b != 0)
                .unwrap_or(modulus.len());
            let significant = modulus.get(first..).unwrap_or_default();
            let bits = significant.first().map_or(0, |top| {
                significant.len() * 8 - top.leading_zeros() as usize
            });
            if bits < MIN_RSA_BITS {
                return Err("an RSA key shorter than 2048 bits");
            }
            match named {
                None | Some(KeyAlgorithm::RS256) => Algorithm::RS256,
                Some(KeyAlgorithm::RS384) => Algorithm::RS384,
                Some(KeyAlgorithm::RS512) => Algorithm::RS512,
                Some(KeyAlgorithm::PS256) => Algorithm::PS256,
                Some(KeyAlgorithm::PS384) => Algorithm::PS384,
                Some(KeyAlgorithm::PS512) => Algorithm::PS512,
                Some(_) => return Err("an RSA key naming another algorithm"),
            }
        }
        AlgorithmParameters::EllipticCurve(ec) => match (ec.curve.clone(), named) {
            (EllipticCurve::P256, None | Some(KeyAlgorithm::ES256)) => Algorithm::ES256,
            (EllipticCurve::P384, None | Some(KeyAlgorithm::ES384)) => Algorithm::ES384,
            _ => return Err("an EC key of another curve or algorithm"),
        },
        AlgorithmParameters::OctetKeyPair(okp) => match (okp.curve.clone(), named) {
            (EllipticCurve::Ed25519, None | Some(KeyAlgorithm::EdDSA)) => Algorithm::EdDSA,
            _ => return Err("an OKP key of another curve or algorithm"),
        },
        AlgorithmParameters::OctetKey(_) => return Err("a symmetric key"),
    };
    let key = DecodingKey::from_jwk(jwk).map_err(|_| "a key that does not parse")?;
    Ok(UsableKey { algorithm, key })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_fetched_over_https_or_from_the_loopback_interface_only() {
        for url in [
            "https://id.example/keys",
            "http://127.0.0.1:8080/keys",
            "http://localhost/keys",
            "http://[::1]:9/keys",
        ] {
            assert!(check_url(url).is_ok(), "{url}");
        }
        for url in [
            "http://id.example/keys",
            "http://10.0.0.1/keys",
            "ftp://id.example/keys",
            "file:///etc/keys",
            "not a url",
        ] {
            assert!(check_url(url).is_err(), "{url}");
        }
    }

    fn jwk(value: serde_json::Value) -> Jwk {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn each_key_allows_the_one_algorithm_of_its_type() {
        // A P-256 point (the generator).
        let p256 = serde_json::json!({
            "kty": "EC", "crv": "P-256",
            "x": "axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY",
            "y": "T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU",
        });
        assert_eq!(
            usable(&jwk(p256.clone())).unwrap().algorithm,
            Algorithm::ES256
        );
        let mut named_other = p256.clone();
        named_other["alg"] = "ES384".into();
        assert!(usable(&jwk(named_other)).is_err());
        let mut for_encryption = p256;
        for_encryption["use"] = "enc".into();
        assert!(usable(&jwk(for_encryption)).is_err());
        let symmetric = serde_json::json!({ "kty": "oct", "k": "c2VjcmV0" });
        assert!(usable(&jwk(symmetric)).is_err());
        let ed = serde_json::json!({
            "kty": "OKP", "crv": "Ed25519",
            "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
        });
        assert_eq!(usable(&jwk(ed)).unwrap().algorithm, Algorithm::EdDSA);
        let short_rsa = serde_json::json!({
            "kty": "RSA",
            "n": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([0xc3u8; 128]),
            "e": "AQAB",
        });
        assert_eq!(
            usable(&jwk(short_rsa)).err(),
            Some("an RSA key shorter than 2048 bits")
        );
        let rsa = serde_json::json!({
            "kty": "RSA", "alg": "RS256",
            "n": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([0xc3u8; 256]),
            "e": "AQAB",
        });
        assert_eq!(usable(&jwk(rsa)).unwrap().algorithm, Algorithm::RS256);
    }
}
