//! The monthly reminder job: two instances sharing one database, ticking at
//! the same instants, draft each month's reminder once; concurrent runs that
//! bypass the lease still draft it once; a month with nothing missing drafts
//! nothing; the note reads like SOC/19 and is issued like any other.

use std::time::Duration;

use accord_domain::NoteSeries;
use accord_workflow::entity::scheduled_reminder;
use accord_workflow::jobs::Scheduler;
use accord_workflow::reminders::{self, MONTHLY_REMINDER, Run, SCHEDULER_SUB};
use accord_workflow::{Store, StoreConfig, audit};
use chrono::{DateTime, Utc};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::json;

use crate::helpers::{Backend, TestApp, all_at_once, ok, spawn_app, str_at};
use crate::on_both_backends;
use crate::plans::{add_event, february_2024, record_submission};

on_both_backends!(scheduled => two_instances_draft_each_months_reminder_once_sqlite, two_instances_draft_each_months_reminder_once_postgres);

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

/// A scheduler of one instance running only the monthly reminder, every
/// five minutes.
async fn instance(app: &TestApp, name: &str) -> Scheduler {
    let store = Store::connect(&StoreConfig::new(app.db_url.clone()))
        .await
        .unwrap();
    let mut scheduler = Scheduler::new(store, name);
    scheduler.register(
        MONTHLY_REMINDER,
        Duration::from_secs(300),
        reminders::monthly_reminder(NoteSeries::soc()),
    );
    scheduler
}

async fn scheduled_periods(app: &TestApp) -> Vec<(String, String)> {
    scheduled_reminder::Entity::find()
        .order_by_asc(scheduled_reminder::Column::Period)
        .all(&app.db().await)
        .await
        .unwrap()
        .into_iter()
        .map(|row| (row.period, row.note_id))
        .collect()
}

async fn scheduled(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (plan, kaz) = february_2024(&app).await;
    add_event(
        &app,
        &plan,
        "Workshop on food security",
        &["IND"],
        "2024-03-12",
        "2024-03-13",
    )
    .await;
    // April's only event has every document in.
    let april = add_event(
        &app,
        &plan,
        "Round table on tourism",
        &["TUR"],
        "2024-04-02",
        "2024-04-02",
    )
    .await;
    let april = str_at(&april, "/id");
    let tur = app.delegate("TUR");
    for (kind, on) in [
        ("CONCEPT_PAPER", "2024-01-10"),
        ("TENTATIVE_PROGRAMME", "2024-01-20"),
        ("POST_EVENT_REPORT", "2024-01-30"),
    ] {
        record_submission(&app, &tur, &april, kind, on).await;
    }
    record_submission(
        &app,
        &app.delegate("KAZ"),
        &str_at(&kaz, "/id"),
        "TENTATIVE_PROGRAMME",
        "2024-01-05",
    )
    .await;
    let audit_before = app.audit_entries().await;

    // Four runs at once, past any lease, on two connections: one drafts
    // February's reminder, the others find it drafted.
    let (one, two) = (
        Store::connect(&StoreConfig::new(app.db_url.clone()))
            .await
            .unwrap(),
        Store::connect(&StoreConfig::new(app.db_url.clone()))
            .await
            .unwrap(),
    );
    let now = at("2024-01-08T04:00:00Z");
    let runs = all_at_once(
        [&one, &two, &one, &two]
            .into_iter()
            .map(|store| {
                let store = store.clone();
                async move { reminders::draft_for_next_month(&store, &NoteSeries::soc(), now).await }
            })
            .collect(),
    )
    .await;
    let runs: Vec<Run> = runs.into_iter().map(Result::unwrap).collect();
    let drafted: Vec<&Run> = runs
        .iter()
        .filter(|run| matches!(run, Run::Drafted { .. }))
        .collect();
    assert_eq!(drafted.len(), 1, "{runs:?}");
    let Run::Drafted {
        period,
        note_id: february,
        missing,
    } = drafted[0].clone()
    else {
        unreachable!()
    };
    assert_eq!((period.as_str(), missing), ("2024-02", 5), "{runs:?}");
    for run in &runs {
        if let Run::AlreadyDrafted { note_id, .. } = run {
            assert_eq!(note_id, &february);
        }
    }
    // The note, its scheduled row and one audit entry each.
    assert_eq!(app.audit_entries().await, audit_before + 2);

    // Two instances tick together through February, March and April: March's
    // reminder is drafted once, April's (nothing missing) never.
    let (a, b) = (
        instance(&app, "instance-a").await,
        instance(&app, "instance-b").await,
    );
    for tick in [
        "2024-01-20T04:00:00Z",
        "2024-02-01T04:00:00Z",
        "2024-02-01T04:06:00Z",
        "2024-02-15T04:00:00Z",
        "2024-03-01T04:00:00Z",
        "2024-03-20T04:00:00Z",
    ] {
        let now = at(tick);
        let (x, y) = tokio::join!(a.tick_at(now), b.tick_at(now));
        assert_eq!(x.len() + y.len(), 1, "{tick}: {x:?} {y:?}");
    }
    let periods = scheduled_periods(&app).await;
    assert_eq!(
        periods.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        ["2024-02", "2024-03"],
        "{periods:?}"
    );
    assert_eq!(periods[0].1, february);
    let status =
        accord_workflow::jobs::status(&Store::from_connection(app.db().await), MONTHLY_REMINDER)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        status.last_outcome.as_deref(),
        Some("ok: nothing to remind of for 2024-04 (1 events, no document missing)")
    );

    // The drafts read like SOC/19 and are issued as any note; drafted on
    // 20 January 2024, the concept paper due on 22 December 2023 is said to
    // be overdue, the report is asked for by its date.
    let officer = app.secretariat();
    let note = app
        .gql(
            &officer,
            "query($id: ID!) { note(id: $id) { purpose status addressees { allMemberStates } en: body(lang: EN) } }",
            json!({ "id": february }),
        )
        .await;
    let note = ok(&note, "note")["note"].clone();
    assert_eq!(note["purpose"], "REMINDER");
    let en = note["en"].as_str().unwrap();
    assert!(en.contains("1. Kazakhstan — «Seminar on energy security», 20 February 2024 to 21 February 2024: the concept paper, overdue since 22 December 2023; the post-event report by 22 March 2024."), "{en}");
    assert!(en.contains("2. China — «Conference on youth»"), "{en}");
    assert!(!en.contains("food security"), "{en}");
    let march = &periods[1].1;
    let note = app
        .gql(
            &officer,
            "query($id: ID!) { note(id: $id) { en: body(lang: EN) } }",
            json!({ "id": march }),
        )
        .await;
    let en = str_at(&ok(&note, "note"), "/note/en");
    assert!(
        en.contains("1. India — «Workshop on food security», 12 March 2024 to 13 March 2024"),
        "{en}"
    );
    assert!(!en.contains("tourism"), "{en}");

    // Each scheduled draft is on the audit chain, by the scheduler.
    let db = app.db().await;
    assert!(matches!(
        audit::verify(&db).await.unwrap(),
        audit::Verdict::Intact { .. }
    ));
    let by_scheduler = accord_workflow::entity::audit_log::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|entry| entry.actor_sub == SCHEDULER_SUB)
        .map(|entry| entry.action)
        .collect::<Vec<_>>();
    assert_eq!(
        by_scheduler,
        [
            "CREATE_NOTE",
            "SCHEDULE_REMINDER",
            "CREATE_NOTE",
            "SCHEDULE_REMINDER"
        ]
    );
}
