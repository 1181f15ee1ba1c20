//! Fixtures shared by the unit tests of this crate.

use accord_domain::{OrgCode, OrgKind, Role};
use accord_migration::{Migrator, MigratorTrait};

use crate::actor::Actor;
use crate::store::{Store, StoreConfig};

/// A fresh, migrated SQLite database in the temporary directory.
pub(crate) async fn fresh_store() -> Store {
    fresh_store_and_url().await.0
}

/// [`fresh_store`] and its URL, for a second store on the same file.
pub(crate) async fn fresh_store_and_url() -> (Store, String) {
    let path = std::env::temp_dir().join(format!("accord-unit-{}.db", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let store = Store::connect(&StoreConfig::new(url.clone()))
        .await
        .unwrap();
    Migrator::up(store.db(), None).await.unwrap();
    (store, url)
}

/// The instant an RFC 3339 text names, in UTC.
pub(crate) fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    crate::clock::parse_stamp(text, "a test's instant").unwrap()
}

/// A CICA Secretariat officer.
pub(crate) fn officer() -> Actor {
    Actor::new(
        "officer",
        "An Officer",
        OrgCode::parse("CICA").unwrap(),
        OrgKind::Secretariat,
        [Role::Secretariat],
    )
    .unwrap()
}

/// The variable naming a PostgreSQL server for the tests.
pub(crate) const POSTGRES_ENV: &str = "ACCORD_TEST_POSTGRES_URL";

/// A fresh, empty PostgreSQL database when [`POSTGRES_ENV`] names a
/// server: its URL, and the server's URL and the database's name to drop
/// it with [`drop_postgres`].
pub(crate) async fn postgres_url() -> Option<(String, String, String)> {
    use sea_orm::{ConnectionTrait, Database};
    let admin_url = std::env::var(POSTGRES_ENV).ok()?;
    let name = format!("accord_u_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(admin_url.as_str()).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await.ok();
    let (head, query) = match admin_url.split_once('?') {
        Some((head, query)) => (head.to_owned(), format!("?{query}")),
        None => (admin_url.clone(), String::new()),
    };
    let scheme_end = head.find("://").unwrap() + 3;
    let base = match head[scheme_end..].find('/') {
        Some(slash) => head[..scheme_end + slash].to_owned(),
        None => head.clone(),
    };
    Some((format!("{base}/{name}{query}"), admin_url, name))
}

/// Drops the database `name` made by [`postgres_url`].
pub(crate) async fn drop_postgres(admin_url: &str, name: &str) {
    use sea_orm::{ConnectionTrait, Database};
    let admin = Database::connect(admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    admin.close().await.ok();
}
