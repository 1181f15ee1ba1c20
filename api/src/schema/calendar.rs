//! Calendar feeds: the viewer's feeds, and making and revoking them. The
//! feed itself is served at `GET /calendar/<token>.ics` (see
//! `crate::calendar`).

use accord_domain::OrgCode;
use accord_workflow::calendar::{FeedRecord, NewFeed};
use accord_workflow::{Command, Outcome};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::common::{reader, run, unexpected};
use crate::error::GqlResult;

/// The viewer's calendar feeds.
#[derive(Debug, Default)]
pub struct CalendarQuery;

#[Object]
impl CalendarQuery {
    /// The viewer's own calendar feeds, newest first, revoked ones
    /// included. Tokens are never shown again after createCalendarFeed.
    async fn calendar_feeds(&self, ctx: &Context<'_>) -> Result<Vec<CalendarFeed>> {
        Ok(reader(ctx)?
            .calendar_feeds()
            .await
            .gql()?
            .into_iter()
            .map(CalendarFeed)
            .collect())
    }
}

/// Making and revoking calendar feeds.
#[derive(Debug, Default)]
pub struct CalendarMutation;

/// A calendar feed to make.
#[derive(InputObject, Debug)]
pub struct CreateCalendarFeedInput {
    /// Your name for it, e.g. "office calendar" (1 to 200 characters).
    pub label: String,
    /// The member state whose due documents it shows (e.g. KAZ), beside
    /// every event of the plans (every state takes part); omit it for
    /// every member state's documents.
    pub member_state: Option<String>,
}

#[Object]
impl CalendarMutation {
    /// Make a read-only iCalendar feed of the events of the Plans of
    /// Implementation and their documents' due dates, for a calendar
    /// program (Secretariat officers and member-state delegates). The
    /// token is in the answer once and never again: subscribe to `path`
    /// on this server. At most 20 unrevoked feeds a person (CONFLICT).
    async fn create_calendar_feed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CreateCalendarFeedInput,
    ) -> Result<CalendarFeedCreated> {
        let member_state = input
            .member_state
            .as_deref()
            .map(OrgCode::parse)
            .transpose()
            .gql()?;
        let command = Command::CreateCalendarFeed(NewFeed {
            label: input.label,
            member_state,
        });
        match run(ctx, command).await? {
            Outcome::CalendarFeed {
                feed_id,
                token: Some(token),
            } => Ok(CalendarFeedCreated {
                feed: CalendarFeed(reader(ctx)?.calendar_feed(&feed_id).await.gql()?),
                path: format!("/calendar/{token}.ics"),
                token,
            }),
            other => Err(unexpected(&other)),
        }
    }

    /// Revoke a calendar feed: your own, or anyone's for the Secretariat.
    /// Its address stops answering at once.
    async fn revoke_calendar_feed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The feed's id.")] id: ID,
    ) -> Result<CalendarFeed> {
        match run(ctx, Command::RevokeCalendarFeed { feed_id: id.0 }).await? {
            Outcome::CalendarFeed { feed_id, .. } => Ok(CalendarFeed(
                reader(ctx)?.calendar_feed(&feed_id).await.gql()?,
            )),
            other => Err(unexpected(&other)),
        }
    }
}

/// A feed just made, with its token.
#[derive(SimpleObject, Debug)]
pub struct CalendarFeedCreated {
    /// The feed.
    pub feed: CalendarFeed,
    /// The secret token (`cal_` and 64 hex digits); shown this once.
    pub token: String,
    /// Where a calendar program subscribes: `/calendar/<token>.ics`.
    pub path: String,
}

/// A read-only iCalendar feed (without its token).
#[derive(Debug)]
pub struct CalendarFeed(FeedRecord);

/// A read-only iCalendar feed (without its token).
#[Object]
impl CalendarFeed {
    /// Its id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// The owner's name for it.
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// The member state whose due documents it shows, beside every event;
    /// null for every member state's.
    async fn member_state(&self) -> Option<&str> {
        self.0.member_state.as_deref()
    }

    /// The owner's organisation.
    async fn owner_org(&self) -> &str {
        &self.0.owner_org
    }

    /// When it was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it was revoked; null while it answers.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}
