//! What operators see and configure: `GET /metrics`, and identity
//! providers whose keys Accord fetches (a JWKS URL, an OpenID Connect
//! issuer), served here by a provider started inside the test.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::{Data, Json};
use poem::{EndpointExt, Route, get, handler};
use serde_json::{Value, json};

use crate::helpers::{Backend, all_at_once, error_code, now, spawn_app_with};
use crate::on_both_backends;

/// The metrics token of the test servers (32 bytes or more).
const METRICS_TOKEN: &str = "metrics-token-for-the-tests-0123456789";

/// The value of the sample `name{labels}` in a Prometheus text exposition
/// (0 when absent).
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (metric, rest) = series.split_once('{').unwrap_or((series, "}"));
            if metric != name {
                return None;
            }
            let pairs = rest.trim_end_matches('}');
            let matches = labels.iter().all(|(key, want)| {
                pairs
                    .split(',')
                    .any(|pair| pair == format!("{key}=\"{want}\""))
            });
            matches.then(|| value.parse::<f64>().ok()).flatten()
        })
        .sum()
}

async fn metrics_text(app: &crate::helpers::TestApp) -> String {
    let response = app
        .client
        .get(format!("{}/metrics", app.base))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    response.text().await.unwrap()
}

on_both_backends!(
    metrics_count_requests_by_root_field_and_outcome =>
        metrics_count_requests_by_root_field_and_outcome_sqlite,
        metrics_count_requests_by_root_field_and_outcome_postgres
);

async fn metrics_count_requests_by_root_field_and_outcome(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |settings| {
        settings.metrics_token = Some(METRICS_TOKEN.to_owned());
        settings.metrics_listen = Some("127.0.0.1:0".to_owned());
    })
    .await
    else {
        return;
    };
    // Only to the token's bearer, and as if absent to anyone else.
    for token in [None, Some("wrong"), Some(&app.secretariat()[..])] {
        let mut request = app.client.get(format!("{}/metrics", app.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        assert_eq!(request.send().await.unwrap().status(), 404);
    }

    let before = metrics_text(&app).await;
    let viewer_ok = [("operation", "viewer"), ("outcome", "ok")];
    let token = app.secretariat();
    // The client's operation name is not a label: its root field is.
    let body = app
        .gql(
            &token,
            "query TheSecretTitleOfADraft { viewer { id } }",
            json!({}),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let (status, _) = app
        .post(
            Some("not.a.token"),
            &json!({ "query": "{ viewer { id } }" }),
        )
        .await;
    assert_eq!(status, 401);
    let body = app
        .gql(&token, "{ inventedFieldOfSomeone }", json!({}))
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("BAD_USER_INPUT"));
    let body = app
        .gql(
            &token,
            r#"{ draft(id: "00000000-0000-0000-0000-000000000000") { id } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body).as_deref(), Some("NOT_FOUND"));

    let after = metrics_text(&app).await;
    let moved = |name: &str, labels: &[(&str, &str)]| {
        sample(&after, name, labels) - sample(&before, name, labels)
    };
    assert!(
        moved("accord_graphql_requests_total", &viewer_ok) >= 1.0,
        "{after}"
    );
    assert!(
        moved(
            "accord_graphql_request_duration_seconds_count",
            &[("operation", "viewer")]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        moved(
            "accord_graphql_requests_total",
            &[("operation", "none"), ("outcome", "UNAUTHENTICATED")]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        moved(
            "accord_graphql_requests_total",
            &[("operation", "none"), ("outcome", "BAD_USER_INPUT")]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        moved(
            "accord_graphql_requests_total",
            &[("operation", "draft"), ("outcome", "NOT_FOUND")]
        ) >= 1.0,
        "{after}"
    );
    assert!(!after.contains("TheSecretTitleOfADraft"), "{after}");
    assert!(!after.contains("inventedFieldOfSomeone"), "{after}");
    // The pools, read when /metrics is.
    assert!(
        sample(&after, "accord_db_connections_max", &[("pool", "main")]) >= 1.0,
        "{after}"
    );
    assert!(
        after.contains("accord_db_connections{pool=\"main\",state=\"idle\"}"),
        "{after}"
    );
    assert!(after.contains("accord_subscription_sockets"), "{after}");

    // The metrics' own listener needs no token; it serves nothing else.
    let own = app.metrics_base.as_ref().unwrap();
    let response = app
        .client
        .get(format!("{own}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("accord_graphql_requests_total")
    );
    let graphql = app
        .client
        .get(format!("{own}/graphql"))
        .send()
        .await
        .unwrap();
    assert_eq!(graphql.status(), 404);
}

on_both_backends!(
    metrics_can_be_turned_off =>
        metrics_can_be_turned_off_sqlite,
        metrics_can_be_turned_off_postgres
);

async fn metrics_can_be_turned_off(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |settings| {
        settings.metrics = false;
        settings.metrics_token = Some(METRICS_TOKEN.to_owned());
        settings.metrics_listen = Some("127.0.0.1:0".to_owned());
    })
    .await
    else {
        return;
    };
    let response = app
        .client
        .get(format!("{}/metrics", app.base))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(app.metrics_base.is_none());
}

/// An identity provider inside the test: its discovery document, its key
/// set (which the test rotates), and how often each was fetched.
#[derive(Clone)]
struct Provider {
    base: String,
    keys: Arc<Mutex<Vec<Jwk>>>,
    jwks_fetches: Arc<AtomicUsize>,
    _stop: Arc<tokio::sync::oneshot::Sender<()>>,
}

#[derive(Clone)]
struct Served {
    base: String,
    keys: Arc<Mutex<Vec<Jwk>>>,
    jwks_fetches: Arc<AtomicUsize>,
}

#[handler]
fn discovery(served: Data<&Served>) -> Json<Value> {
    Json(json!({
        "issuer": served.base,
        "jwks_uri": format!("{}/jwks.json", served.base),
        "id_token_signing_alg_values_supported": ["ES256"],
    }))
}

#[handler]
fn jwks(served: Data<&Served>) -> Json<JwkSet> {
    served.jwks_fetches.fetch_add(1, Ordering::SeqCst);
    Json(JwkSet {
        keys: served.keys.lock().unwrap().clone(),
    })
}

impl Provider {
    async fn start(keys: Vec<Jwk>) -> Provider {
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .unwrap();
        let addr = acceptor.local_addr()[0].as_socket_addr().copied().unwrap();
        let base = format!("http://{addr}");
        let served = Served {
            base: base.clone(),
            keys: Arc::new(Mutex::new(keys)),
            jwks_fetches: Arc::new(AtomicUsize::new(0)),
        };
        let routes = Route::new()
            .at("/.well-known/openid-configuration", get(discovery))
            .at("/jwks.json", get(jwks))
            .data(served.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            poem::Server::new_with_acceptor(acceptor)
                .run_with_graceful_shutdown(
                    routes,
                    async {
                        let _ = stopped.await;
                    },
                    None,
                )
                .await
        });
        Provider {
            base,
            keys: served.keys,
            jwks_fetches: served.jwks_fetches,
            _stop: Arc::new(stop),
        }
    }

    fn fetches(&self) -> usize {
        self.jwks_fetches.load(Ordering::SeqCst)
    }

    fn publish(&self, keys: Vec<Jwk>) {
        *self.keys.lock().unwrap() = keys;
    }
}

/// A P-256 signing key made up now, and its public JWK named `kid`.
struct SigningKey {
    kid: String,
    key: EncodingKey,
    jwk: Jwk,
}

impl SigningKey {
    fn new(kid: &str) -> SigningKey {
        // PKCS#8 of an EC P-256 private key (RFC 5915 inside RFC 5208)
        // whose scalar is 32 random bytes (below the group order with
        // overwhelming probability); the public key is derived from it.
        let mut der =
            hex::decode("3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420")
                .unwrap();
        der.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
        der.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
        let key = EncodingKey::from_ec_der(&der);
        let mut jwk = Jwk::from_encoding_key(&key, Algorithm::ES256).unwrap();
        jwk.common.key_id = Some(kid.to_owned());
        SigningKey {
            kid: kid.to_owned(),
            key,
            jwk,
        }
    }

    /// A token of a Secretariat officer for `issuer` and `audience`,
    /// signed by this key and naming `kid`.
    fn token_as(&self, kid: &str, issuer: &str, audience: &str) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(kid.to_owned());
        let claims = json!({
            "sub": "cica-officer",
            "name": "Aigerim Officer",
            "org": "CICA",
            "roles": ["secretariat"],
            "iss": issuer,
            "aud": audience,
            "iat": now(),
            "nbf": now(),
            "exp": now() + 600,
        });
        jsonwebtoken::encode(&header, &claims, &self.key).unwrap()
    }

    fn token(&self, issuer: &str) -> String {
        self.token_as(&self.kid, issuer, "accord")
    }
}

/// Whether `token` is accepted; otherwise its error code.
async fn viewer(app: &crate::helpers::TestApp, token: &str) -> Result<(), String> {
    let (status, body) = app
        .post(Some(token), &json!({ "query": "{ viewer { id } }" }))
        .await;
    if status == 200 && body.get("errors").is_none() {
        Ok(())
    } else {
        Err(error_code(&body).unwrap_or_else(|| format!("{status}: {body}")))
    }
}

on_both_backends!(
    an_openid_provider_rotates_its_keys =>
        an_openid_provider_rotates_its_keys_sqlite,
        an_openid_provider_rotates_its_keys_postgres
);

async fn an_openid_provider_rotates_its_keys(backend: Backend) {
    let first = SigningKey::new("first");
    let provider = Provider::start(vec![first.jwk.clone()]).await;
    let issuer = provider.base.clone();
    let Some(app) = spawn_app_with(backend, |settings| {
        settings.jwt_secret = None;
        settings.jwt_oidc_issuer = Some(issuer.clone());
        settings.jwt_jwks_min_refresh_secs = 3600;
    })
    .await
    else {
        return;
    };
    // Fetched once at start-up (through the discovery document).
    assert_eq!(provider.fetches(), 1);
    assert_eq!(viewer(&app, &first.token(&issuer)).await, Ok(()));
    assert_eq!(provider.fetches(), 1, "a known key fetches nothing");

    // The provider rotates: a token of the new key makes one refresh.
    let second = SigningKey::new("second");
    provider.publish(vec![first.jwk.clone(), second.jwk.clone()]);
    assert_eq!(viewer(&app, &second.token(&issuer)).await, Ok(()));
    assert_eq!(provider.fetches(), 2);
    assert_eq!(viewer(&app, &second.token(&issuer)).await, Ok(()));
    assert_eq!(viewer(&app, &first.token(&issuer)).await, Ok(()));
    assert_eq!(provider.fetches(), 2);

    // The issuer and the audience are checked.
    let unauthenticated = Err("UNAUTHENTICATED".to_owned());
    assert_eq!(
        viewer(&app, &first.token("https://another-provider.test")).await,
        unauthenticated
    );
    assert_eq!(
        viewer(&app, &first.token_as("first", &issuer, "another-api")).await,
        unauthenticated
    );
    // A key the provider never published is refused, and within the bound
    // makes no second refresh.
    let stranger = SigningKey::new("stranger");
    assert_eq!(
        viewer(&app, &stranger.token(&issuer)).await,
        unauthenticated
    );
    // A token signed by a stranger under a published key's name.
    assert_eq!(
        viewer(&app, &stranger.token_as("first", &issuer, "accord")).await,
        unauthenticated
    );
    assert_eq!(provider.fetches(), 2);
}

on_both_backends!(
    a_burst_of_unknown_keys_makes_one_refresh =>
        a_burst_of_unknown_keys_makes_one_refresh_sqlite,
        a_burst_of_unknown_keys_makes_one_refresh_postgres
);

async fn a_burst_of_unknown_keys_makes_one_refresh(backend: Backend) {
    let first = SigningKey::new("first");
    let provider = Provider::start(vec![first.jwk.clone()]).await;
    let jwks_url = format!("{}/jwks.json", provider.base);
    let Some(app) = spawn_app_with(backend, |settings| {
        settings.jwt_secret = None;
        settings.jwt_jwks_url = Some(jwks_url.clone());
        settings.jwt_issuer = "https://id.accord.test".to_owned();
        settings.jwt_jwks_min_refresh_secs = 3600;
    })
    .await
    else {
        return;
    };
    assert_eq!(provider.fetches(), 1);
    let issuer = "https://id.accord.test";
    assert_eq!(viewer(&app, &first.token(issuer)).await, Ok(()));

    // Forty tokens naming keys nobody published, at once: one fetch,
    // shared by all, and every one refused.
    let stranger = SigningKey::new("stranger");
    let app = Arc::new(app);
    let refused = all_at_once(
        (0..40)
            .map(|n| {
                let app = Arc::clone(&app);
                let token = stranger.token_as(&format!("made-up-{n}"), issuer, "accord");
                async move { viewer(&app, &token).await }
            })
            .collect(),
    )
    .await;
    assert!(
        refused
            .iter()
            .all(|r| *r == Err("UNAUTHENTICATED".to_owned())),
        "{refused:?}"
    );
    assert_eq!(
        provider.fetches(),
        2,
        "a burst of unknown keys is one refresh"
    );

    // Within the bound, not even a key published since is fetched for.
    let second = SigningKey::new("second");
    provider.publish(vec![first.jwk.clone(), second.jwk.clone()]);
    assert_eq!(
        viewer(&app, &second.token(issuer)).await,
        Err("UNAUTHENTICATED".to_owned())
    );
    assert_eq!(provider.fetches(), 2);
    assert_eq!(viewer(&app, &first.token(issuer)).await, Ok(()));
}
