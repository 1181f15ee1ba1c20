//! Batched loading for one request: every kind of object a query touches
//! (a draft's versions, comments, notes and history; meetings, agendas and
//! decisions) is fetched with one statement per batch, however many of
//! them the response holds. The one loader design of the API: every object
//! type loads through the request's `RequestLoader` (`common::load`).

use std::collections::HashMap;
use std::sync::Arc;

use accord_workflow::meetings::{AgendaEntry, DecisionRecord, MeetingRecord};
use accord_workflow::read::{
    CommentView, DecisionView, HistoryView, ItemView, MeetingView, VersionView,
};
use accord_workflow::registry::NoteRecord;
use accord_workflow::{Reader, Relation, WorkflowError};
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};

/// The versions of a draft up to the viewer's latest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VersionsOf(pub String, pub i32);
/// The items of one version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ItemsOf(pub String, pub i32);
/// The comments of a draft the viewer may read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CommentsOf(pub String, pub Relation);
/// A draft's circulation notes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NotesOf(pub String);
/// The meetings a draft was on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MeetingsOf(pub String);
/// The decision that agreed a draft.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DecisionOf(pub String);
/// A draft's history as the viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HistoryOf(pub String, pub Relation);
/// A note verbale by id, if the viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NoteById(pub String);
/// The visible issued notes citing a note, as (id, number, date).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CitingNotes(pub String);
/// A note's texts as frozen at issue (JSON, as stored), if it has them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FrozenTexts(pub String);

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
/// The silence procedures run on a draft.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SilenceOf(pub String);
/// A route version by id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RouteById(pub String);

/// One request's loader: batches the keys its fields ask for at once and,
/// when the request reads one snapshot, caches what it loaded, so that a
/// version or a meeting read by several fields is fetched once.
pub type RequestLoader = DataLoader<Loaders, HashMapCache>;

/// The loader for one request made by `reader`'s viewer. It caches only if
/// `reader` reads one snapshot (a query): nothing it caches can change
/// before the request ends. A mutation's reader reads the database as it
/// is, and each of a request's mutations must read back what the ones
/// before it wrote, so its loader batches but keeps nothing.
pub fn request_loader(reader: Reader) -> RequestLoader {
    let caches = reader.reads_one_snapshot();
    let loader =
        DataLoader::with_cache(Loaders::new(reader), tokio::spawn, HashMapCache::default());
    loader.enable_all_cache(caches);
    loader
}

/// The loader behind every key type above.
#[derive(Debug, Clone)]
pub struct Loaders {
    reader: Reader,
}

impl Loaders {
    /// Loaders reading as `reader`'s viewer.
    pub fn new(reader: Reader) -> Loaders {
        Loaders { reader }
    }
}

/// Loader errors are shared between every field that awaited the batch.
pub type LoadError = Arc<WorkflowError>;

fn shared<T>(list: Option<Vec<T>>) -> Vec<Arc<T>> {
    list.unwrap_or_default().into_iter().map(Arc::new).collect()
}

fn ids<K>(keys: &[K], id: impl Fn(&K) -> String) -> Vec<String> {
    keys.iter().map(id).collect()
}

/// Shared, not copied: every comment of a draft looks its version up here.
impl Loader<VersionsOf> for Loaders {
    type Value = Arc<[VersionView]>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[VersionsOf],
    ) -> Result<HashMap<VersionsOf, Self::Value>, Self::Error> {
        let pairs: Vec<(String, i32)> = keys.iter().map(|k| (k.0.clone(), k.1)).collect();
        let mut found = self.reader.versions(&pairs).await.map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|k| (k.clone(), found.remove(&k.0).unwrap_or_default().into()))
            .collect())
    }
}

impl Loader<ItemsOf> for Loaders {
    type Value = Vec<ItemView>;
    type Error = LoadError;

    async fn load(&self, keys: &[ItemsOf]) -> Result<HashMap<ItemsOf, Self::Value>, Self::Error> {
        let pairs: Vec<(String, i32)> = keys.iter().map(|k| (k.0.clone(), k.1)).collect();
        let found = self.reader.items(&pairs).await.map_err(Arc::new)?;
        Ok(found
            .into_iter()
            .map(|((d, v), items)| (ItemsOf(d, v), items))
            .collect())
    }
}

/// Each comment shared, so a field's objects are made without copying it.
impl Loader<CommentsOf> for Loaders {
    type Value = Vec<Arc<CommentView>>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[CommentsOf],
    ) -> Result<HashMap<CommentsOf, Self::Value>, Self::Error> {
        let pairs: Vec<(String, Relation)> = keys.iter().map(|k| (k.0.clone(), k.1)).collect();
        let mut found = self.reader.comments(&pairs).await.map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|k| (k.clone(), shared(found.remove(&k.0))))
            .collect())
    }
}

impl Loader<NotesOf> for Loaders {
    type Value = Vec<NoteRecord>;
    type Error = LoadError;

    async fn load(&self, keys: &[NotesOf]) -> Result<HashMap<NotesOf, Self::Value>, Self::Error> {
        let found = self
            .reader
            .notes_of_drafts(&ids(keys, |k| k.0.clone()))
            .await
            .map_err(Arc::new)?;
        Ok(found.into_iter().map(|(k, v)| (NotesOf(k), v)).collect())
    }
}

impl Loader<MeetingsOf> for Loaders {
    type Value = Vec<MeetingView>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[MeetingsOf],
    ) -> Result<HashMap<MeetingsOf, Self::Value>, Self::Error> {
        let found = self
            .reader
            .meetings(&ids(keys, |k| k.0.clone()))
            .await
            .map_err(Arc::new)?;
        Ok(found.into_iter().map(|(k, v)| (MeetingsOf(k), v)).collect())
    }
}

impl Loader<DecisionOf> for Loaders {
    type Value = DecisionView;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[DecisionOf],
    ) -> Result<HashMap<DecisionOf, Self::Value>, Self::Error> {
        let found = self
            .reader
            .decisions(&ids(keys, |k| k.0.clone()))
            .await
            .map_err(Arc::new)?;
        Ok(found.into_iter().map(|(k, v)| (DecisionOf(k), v)).collect())
    }
}

/// Each entry shared, as comments are.
impl Loader<HistoryOf> for Loaders {
    type Value = Vec<Arc<HistoryView>>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[HistoryOf],
    ) -> Result<HashMap<HistoryOf, Self::Value>, Self::Error> {
        let pairs: Vec<(String, Relation)> = keys.iter().map(|k| (k.0.clone(), k.1)).collect();
        let mut found = self.reader.history(&pairs).await.map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|k| (k.clone(), shared(found.remove(&k.0))))
            .collect())
    }
}

impl Loader<NoteById> for Loaders {
    type Value = NoteRecord;
    type Error = LoadError;

    async fn load(&self, keys: &[NoteById]) -> Result<HashMap<NoteById, Self::Value>, Self::Error> {
        let found = self
            .reader
            .notes_by_id(&ids(keys, |k| k.0.clone()))
            .await
            .map_err(Arc::new)?;
        Ok(found.into_iter().map(|(k, v)| (NoteById(k), v)).collect())
    }
}

impl Loader<CitingNotes> for Loaders {
    type Value = Vec<(String, String, chrono::NaiveDate)>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[CitingNotes],
    ) -> Result<HashMap<CitingNotes, Self::Value>, Self::Error> {
        let found = self
            .reader
            .referenced_by(&ids(keys, |k| k.0.clone()))
            .await
            .map_err(Arc::new)?;
        Ok(found
            .into_iter()
            .map(|(k, v)| (CitingNotes(k), v))
            .collect())
    }
}

impl Loader<FrozenTexts> for Loaders {
    type Value = Arc<str>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FrozenTexts],
    ) -> Result<HashMap<FrozenTexts, Self::Value>, Self::Error> {
        let found = self
            .reader
            .frozen_texts(&ids(keys, |k| k.0.clone()))
            .await
            .map_err(Arc::new)?;
        Ok(found
            .into_iter()
            .map(|(k, v)| (FrozenTexts(k), v.into()))
            .collect())
    }
}

impl Loader<MeetingById> for Loaders {
    type Value = MeetingRecord;
    type Error = LoadError;

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

impl Loader<RouteById> for Loaders {
    type Value = accord_workflow::RouteView;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[RouteById],
    ) -> Result<HashMap<RouteById, Self::Value>, Self::Error> {
        let found = self
            .reader
            .routes_by_id(&ids(keys, |k| k.0.clone()))
            .await?;
        Ok(found.into_iter().map(|(k, v)| (RouteById(k), v)).collect())
    }
}

impl Loader<SilenceOf> for Loaders {
    type Value = Vec<accord_workflow::SilenceView>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[SilenceOf],
    ) -> Result<HashMap<SilenceOf, Self::Value>, Self::Error> {
        let found = self
            .reader
            .silence_procedures(&ids(keys, |k| k.0.clone()))
            .await?;
        Ok(found.into_iter().map(|(k, v)| (SilenceOf(k), v)).collect())
    }
}

impl Loader<AgendaOf> for Loaders {
    type Value = Vec<AgendaEntry>;
    type Error = LoadError;

    async fn load(&self, keys: &[AgendaOf]) -> Result<HashMap<AgendaOf, Self::Value>, Self::Error> {
        let found = self.reader.agendas(&ids(keys, |k| k.0.clone())).await?;
        Ok(found.into_iter().map(|(k, v)| (AgendaOf(k), v)).collect())
    }
}

impl Loader<DecisionsAt> for Loaders {
    type Value = Vec<DecisionRecord>;
    type Error = LoadError;

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

impl Loader<DecisionById> for Loaders {
    type Value = DecisionRecord;
    type Error = LoadError;

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
