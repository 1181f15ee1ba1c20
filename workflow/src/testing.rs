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
