//! Batched loading of meetings, agendas and decisions. A root field that
//! returns meetings or decisions starts one loader and hands it to every
//! object it returns, so a page of meetings loads all their agendas (and
//! all their decisions) with one batch each.

use std::collections::HashMap;
use std::sync::Arc;

use accord_workflow::meetings::{AgendaEntry, DecisionRecord, MeetingRecord};
use accord_workflow::{Reader, WorkflowError};
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use async_graphql::{Context, Result};

use super::common::reader;
use crate::error::{from_workflow, internal};

/// A meeting by id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MeetingById(pub String);
/// A meeting's agenda as the viewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AgendaOf(pub String);
/// A decision by id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DecisionById(pub String);
/// The decisions taken at a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DecisionsAt(pub String);

/// The loader behind every key type above, reading as one viewer.
pub struct MeetingLoaders {
    reader: Reader,
}

/// A loader shared by the objects one root field returns.
pub type MeetingLoader = Arc<DataLoader<MeetingLoaders, HashMapCache>>;

/// A new loader reading as the request's viewer.
pub(crate) fn meeting_loader(ctx: &Context<'_>) -> Result<MeetingLoader> {
    Ok(Arc::new(DataLoader::with_cache(
        MeetingLoaders {
            reader: reader(ctx)?.clone(),
        },
        tokio::spawn,
        HashMapCache::default(),
    )))
}

/// Loads one key through `loader`.
pub(crate) async fn load<K>(
    loader: &MeetingLoader,
    key: K,
) -> Result<Option<<MeetingLoaders as Loader<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    MeetingLoaders: Loader<K, Error = Arc<WorkflowError>>,
{
    loader
        .load_one(key)
        .await
        .map_err(|error| match Arc::try_unwrap(error) {
            Ok(error) => from_workflow(error),
            Err(shared) => internal(&shared),
        })
}

/// The full record an object was built with, or else the one `key` loads;
/// `what` names it if it is gone (it was read a moment ago).
pub(crate) async fn full_or_load<K, V>(
    full: Option<&Arc<V>>,
    loader: &MeetingLoader,
    key: K,
    what: impl FnOnce() -> String,
) -> Result<Arc<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    MeetingLoaders: Loader<K, Error = Arc<WorkflowError>, Value = V>,
{
    if let Some(full) = full {
        return Ok(Arc::clone(full));
    }
    load(loader, key)
        .await?
        .map(Arc::new)
        .ok_or_else(|| internal(&format!("{} is missing", what())))
}

fn ids<K>(keys: &[K], id: impl Fn(&K) -> String) -> Vec<String> {
    keys.iter().map(id).collect()
}

impl Loader<MeetingById> for MeetingLoaders {
    type Value = MeetingRecord;
    type Error = Arc<WorkflowError>;

    async fn load(
        &self,
        keys: &[MeetingById],
    ) -> Result<HashMap<MeetingById, Self::Value>, Self::Error> {
        let found = self
            .reader
            .meetings_by_id(&ids(keys, |k| k.0.clone()))
            .await?;
        Ok(found
            .into_iter()
            .map(|(k, v)| (MeetingById(k), v))
            .collect())
    }
}

impl Loader<AgendaOf> for MeetingLoaders {
    type Value = Vec<AgendaEntry>;
    type Error = Arc<WorkflowError>;

    async fn load(&self, keys: &[AgendaOf]) -> Result<HashMap<AgendaOf, Self::Value>, Self::Error> {
        let found = self.reader.agendas(&ids(keys, |k| k.0.clone())).await?;
        Ok(found.into_iter().map(|(k, v)| (AgendaOf(k), v)).collect())
    }
}

impl Loader<DecisionsAt> for MeetingLoaders {
    type Value = Vec<DecisionRecord>;
    type Error = Arc<WorkflowError>;

    async fn load(
        &self,
        keys: &[DecisionsAt],
    ) -> Result<HashMap<DecisionsAt, Self::Value>, Self::Error> {
        let found = self
            .reader
            .decisions_at(&ids(keys, |k| k.0.clone()))
            .await?;
        Ok(found
            .into_iter()
            .map(|(k, v)| (DecisionsAt(k), v))
            .collect())
    }
}

impl Loader<DecisionById> for MeetingLoaders {
    type Value = DecisionRecord;
    type Error = Arc<WorkflowError>;

    async fn load(
        &self,
        keys: &[DecisionById],
    ) -> Result<HashMap<DecisionById, Self::Value>, Self::Error> {
        let found = self
            .reader
            .decisions_by_id(&ids(keys, |k| k.0.clone()))
            .await?;
        Ok(found
            .into_iter()
            .map(|(k, v)| (DecisionById(k), v))
            .collect())
    }
}
