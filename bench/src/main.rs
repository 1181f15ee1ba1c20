//! `accord-bench`: Accord against hand-written baselines, in one run, on
//! loopback, interleaved round by round (A B A B …), reported as medians
//! and as ratios against the goals.
//!
//! ```sh
//! cargo run --release -p accord-bench -- --rounds 5 --seconds 4
//! cargo run --release -p accord-bench -- --quick
//! ACCORD_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo run --release -p accord-bench
//! ```
//!
//! See `bench/README.md` for what is measured and how.

mod baseline;
mod child;
mod load;
mod report;
mod seed;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail};
use bytes::Bytes;
use clap::{Parser, Subcommand};
use hyper::Method;
use hyper::header::HeaderValue;
use serde_json::{Value, json};

use crate::child::Server;
use crate::load::{Req, Source, Stats, Ticket};
use crate::report::{BackendReport, Goal, Row, Summary};
use crate::seed::Backend;

/// The contract's `Draft` query (`contract/operations.graphql`).
const DRAFT_QUERY: &str = "query Draft($id: ID!, $lang: Lang) {
  draft(id: $id) {
    id kind state title(lang: $lang)
    signatories { code }
    viewerActions
    currentVersion { number contentHash createdAt items { anchor text(lang: $lang) } }
    versions { number contentHash changeSummary createdAt }
    comments { id kind status anchor body outdated version { number } organization { code } author { id name } reply }
    notes { number date references { number } }
    meetings { body date }
    decision { number date }
    signatures { organization { code } signer { id name } contentHash signedAt }
    history { action fromState toState at actor { id organization { code } } }
  }
}";

/// The contract's `Drafts` query.
const DRAFTS_QUERY: &str = "query Drafts($state: DraftState, $first: Int, $after: String) {
  drafts(state: $state, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id kind state title(lang: EN) updatedAt }
  }
}";

const CIRCULATE: &str = "mutation CirculateDraft($draftId: ID!) {
  circulateDraft(input: { draftId: $draftId, series: \"PAR\" }) { draft { id state } note { number date } }
}";
const ADD_COMMENT: &str = "mutation AddComment($draftId: ID!, $version: Int!, $body: String!) {
  addComment(input: { draftId: $draftId, version: $version, body: $body }) {
    comment { id kind status organization { code } version { number } }
  }
}";
const WITHDRAW: &str = "mutation WithdrawDraft($draftId: ID!, $reason: String!) {
  withdrawDraft(input: { draftId: $draftId, reason: $reason }) { draft { id state } }
}";

#[derive(Debug, Parser)]
#[command(
    name = "accord-bench",
    about = "Accord's benchmarks against hand-written baselines"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Sub>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// Serve the baselines (started by the bench itself).
    #[command(hide = true)]
    Baseline(baseline::BaselineArgs),
}

#[derive(Debug, Clone, clap::Args)]
struct RunArgs {
    /// Measured rounds per workload; each round runs every target once.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Seconds each target is loaded per round.
    #[arg(long, default_value_t = 4.0)]
    seconds: f64,
    /// Unmeasured warm-up seconds per target before the rounds.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// A ~1-minute smoke run: 2 rounds of 1.5 s, 100,000 list drafts.
    #[arg(long)]
    quick: bool,
    /// Also run on PostgreSQL (fresh databases are created and dropped).
    #[arg(long, env = "ACCORD_BENCH_POSTGRES_URL")]
    postgres_url: Option<String>,
    /// Drafts in the large list.
    #[arg(long, default_value_t = 1_000_000)]
    list_drafts: u64,
    /// Drafts in the small list.
    #[arg(long, default_value_t = 1_000)]
    small_list_drafts: u64,
    /// Connections for the read workloads (1), (2) and (4).
    #[arg(long, default_value_t = 32)]
    read_connections: usize,
    /// Connections for the transition workload (3).
    #[arg(long, default_value_t = 64)]
    tx_connections: usize,
    /// The release `accord` binary (default: target/release/accord of this
    /// workspace, built first unless --no-build).
    #[arg(long)]
    accord_bin: Option<PathBuf>,
    /// Do not run `cargo build --release -p accord-api` first.
    #[arg(long)]
    no_build: bool,
    /// Where SQLite files and server logs go (default: the temp directory).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Keep the work directory (logs) afterwards.
    #[arg(long)]
    keep: bool,
    /// Run only these workloads (comma-separated; default: all). Goals of
    /// the workloads left out are not reported.
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Workload>,
}

/// The workloads, for `--only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Workload {
    /// (1) the nested Draft read and (4) its ceiling.
    Read,
    /// (2) the page over a small and a large list.
    List,
    /// (3) transitions.
    Tx,
}

impl RunArgs {
    fn apply_quick(&mut self) {
        if self.quick {
            self.rounds = 2;
            self.seconds = 1.5;
            self.warmup = 0.3;
            self.list_drafts = self.list_drafts.min(100_000);
        }
    }

    fn runs(&self, workload: Workload) -> bool {
        self.only.is_empty() || self.only.contains(&workload)
    }

    fn duration(&self) -> Duration {
        Duration::from_secs_f64(self.seconds)
    }

    fn warmup(&self) -> Duration {
        Duration::from_secs_f64(self.warmup)
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Some(Sub::Baseline(args)) => baseline::serve(args).await,
            None => run(cli.run).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn say(message: &str) {
    eprintln!("[bench] {message}");
}

async fn run(mut args: RunArgs) -> anyhow::Result<()> {
    args.apply_quick();
    if args.rounds == 0 || args.seconds <= 0.0 {
        bail!("--rounds and --seconds must be positive");
    }
    let started = Instant::now();
    let accord = accord_binary(&args)?;
    let base = args.work_dir.clone().unwrap_or_else(std::env::temp_dir);
    let dir = seed::work_dir(&base)?;
    let mut backends = vec![Backend::Sqlite { dir: dir.clone() }];
    if let Some(url) = &args.postgres_url {
        backends.push(Backend::Postgres {
            admin_url: url.clone(),
        });
    }
    let mut reports = Vec::new();
    for backend in &backends {
        say(&format!("== {} ==", backend.label()));
        let result = run_backend(backend, &args, &accord, &dir).await;
        for name in ["main", "list_small", "list_large"] {
            if let Err(error) = backend.drop_database(name).await {
                say(&format!("could not drop {name}: {error:#}"));
            }
        }
        reports.push(result.with_context(|| format!("the {} run", backend.label()))?);
    }
    if !args.keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    report::print(&args_line(&args), &reports, started.elapsed());
    Ok(())
}

fn args_line(args: &RunArgs) -> String {
    format!(
        "rounds {} × {} s per target (warm-up {} s){}; connections: read {}, transitions {}; lists of {} and {} drafts",
        args.rounds,
        args.seconds,
        args.warmup,
        if args.quick { " [--quick]" } else { "" },
        args.read_connections,
        args.tx_connections,
        args.small_list_drafts,
        args.list_drafts,
    )
}

fn accord_binary(args: &RunArgs) -> anyhow::Result<PathBuf> {
    if let Some(bin) = &args.accord_bin {
        return Ok(bin.clone());
    }
    let workspace = workspace_dir();
    if !args.no_build {
        say("building the release accord binary (cargo build --release -p accord-api)");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args(["build", "--release", "-p", "accord-api", "--bin", "accord"])
            .current_dir(&workspace)
            .status()
            .context("running cargo build")?;
        if !status.success() {
            bail!("cargo build --release -p accord-api failed");
        }
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace.join("target"));
    let bin = target.join("release").join("accord");
    if !bin.exists() {
        bail!(
            "{} is missing: run `cargo build --release -p accord-api` or pass --accord-bin",
            bin.display()
        );
    }
    Ok(bin)
}

fn graphql_body(query: &str, operation: &str, variables: Value) -> anyhow::Result<Bytes> {
    Ok(Bytes::from(serde_json::to_vec(&json!({
        "query": query,
        "operationName": operation,
        "variables": variables,
    }))?))
}

fn post(path: &'static str, auth: &HeaderValue, body: Bytes) -> Req {
    Req {
        method: Method::POST,
        path,
        auth: Some(auth.clone()),
        body,
    }
}

/// Sends one request and returns status and body.
async fn fetch(server: &Server, req: Req) -> anyhow::Result<(u16, Bytes)> {
    let stream = tokio::net::TcpStream::connect(server.addr).await?;
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    let driver = tokio::spawn(conn);
    let mut builder = hyper::Request::builder()
        .method(req.method)
        .uri(req.path)
        .header(hyper::header::HOST, server.addr.to_string())
        .header(hyper::header::CONTENT_TYPE, "application/json");
    if let Some(auth) = req.auth {
        builder = builder.header(hyper::header::AUTHORIZATION, auth);
    }
    let response = sender
        .send_request(builder.body(http_body_util::Full::new(req.body))?)
        .await?;
    let status = response.status().as_u16();
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await?
        .to_bytes();
    driver.abort();
    Ok((status, body))
}

/// One target of an interleaved comparison.
struct Target<'a> {
    label: &'static str,
    server: &'a Server,
    sources: Box<dyn Fn() -> Vec<Source> + 'a>,
}

/// Warms every target up, then runs `rounds` rounds of A B C … and returns
/// each target's per-round stats.
async fn interleave(
    targets: &[Target<'_>],
    args: &RunArgs,
    what: &str,
) -> anyhow::Result<Vec<Vec<Stats>>> {
    for target in targets {
        load::run(target.server.addr, args.warmup(), (target.sources)()).await?;
    }
    let mut out: Vec<Vec<Stats>> = targets.iter().map(|_| Vec::new()).collect();
    for round in 0..args.rounds {
        for (i, target) in targets.iter().enumerate() {
            let stats = load::run(target.server.addr, args.duration(), (target.sources)()).await?;
            say(&format!(
                "{what} round {}/{} {:<9} {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  failed {}",
                round + 1,
                args.rounds,
                target.label,
                stats.throughput(),
                stats.quantile_ms(0.5),
                stats.quantile_ms(0.99),
                stats.failed()
            ));
            if let Some(failure) = &stats.first_failure {
                say(&format!("  first failure: {failure}"));
            }
            out[i].push(stats);
        }
    }
    Ok(out)
}

fn header(value: String) -> anyhow::Result<HeaderValue> {
    HeaderValue::from_str(&value).map_err(|e| anyhow!("bad header value: {e}"))
}

async fn run_backend(
    backend: &Backend,
    args: &RunArgs,
    accord: &Path,
    dir: &Path,
) -> anyhow::Result<BackendReport> {
    let label = backend.label();
    let log = |name: &str| dir.join(format!("{label}-{name}.log"));
    let mut notes = Vec::new();

    // ---- seeding
    let t = Instant::now();
    let main_url = backend.create("main").await?;
    let store = seed::migrate(&main_url).await?;
    let draft_id = seed::nested_draft(&store).await?;
    let nested_secs = t.elapsed().as_secs_f64();
    // Enough drafts for every transition request the run can make (3 per
    // draft) at up to ~3,000 requests per second.
    let tx_drafts = ((args.rounds as f64 * args.seconds + args.warmup) * 2.0 * 1_000.0)
        .ceil()
        .max(5_000.0) as u64;
    let tx_ids = seed::IdScheme::now();
    let t = Instant::now();
    seed::bulk_drafts(&store, &tx_ids, 0, tx_drafts, "DRAFTING", "bench-tx").await?;
    let tx_seed_secs = t.elapsed().as_secs_f64();
    store.db().clone().close().await.ok();

    let list_ids = seed::IdScheme::now();
    let mut list_urls = None;
    let mut list_seed_secs = 0.0;
    if args.runs(Workload::List) {
        let small_url = backend.create("list_small").await?;
        let store = seed::migrate(&small_url).await?;
        seed::bulk_drafts(
            &store,
            &list_ids,
            0,
            args.small_list_drafts,
            "CIRCULATED",
            "bench-list",
        )
        .await?;
        store.db().clone().close().await.ok();
        let large_url = backend.create("list_large").await?;
        let store = seed::migrate(&large_url).await?;
        let t = Instant::now();
        say(&format!("seeding {} list drafts", args.list_drafts));
        seed::bulk_drafts(
            &store,
            &list_ids,
            0,
            args.list_drafts,
            "CIRCULATED",
            "bench-list",
        )
        .await?;
        list_seed_secs = t.elapsed().as_secs_f64();
        store.db().clone().close().await.ok();
        list_urls = Some((small_url, large_url));
    }
    let lists = if list_urls.is_some() {
        format!("; {} list drafts {list_seed_secs:.1} s", args.list_drafts)
    } else {
        String::new()
    };
    notes.push(format!(
        "seeding: nested draft through the engine {nested_secs:.1} s; {tx_drafts} transition drafts {tx_seed_secs:.1} s{lists}"
    ));

    let secretariat = header(seed::token(
        "cica-officer-1",
        "Aigerim Nurlanovna",
        "CICA",
        "secretariat",
    )?)?;
    let delegate = header(seed::token(
        "kaz-delegate-1",
        "Delegate of KAZ",
        "KAZ",
        "delegate",
    )?)?;

    let baseline = Server::baseline("baseline", &main_url, &log("baseline")).await?;
    let n = args.read_connections;
    let mut rows = Vec::new();
    let mut goals = Vec::new();
    let mut memory = Vec::new();

    if args.runs(Workload::Read) {
        // ---- (1) nested read and (4) ceiling
        let accord_read = Server::accord(
            "accord (reads)",
            accord,
            &main_url,
            seed::SECRET,
            &log("accord-read"),
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let idle = accord_read.memory()?;
        let read_body = graphql_body(
            DRAFT_QUERY,
            "Draft",
            json!({ "id": draft_id, "lang": "EN" }),
        )?;
        let accord_req = post("/graphql", &secretariat, read_body.clone());
        let baseline_req = post("/draft", &secretariat, read_body.clone());
        let (status, accord_bytes) = fetch(&accord_read, accord_req.clone()).await?;
        if status != 200 || load::has_errors(&accord_bytes) {
            bail!(
                "Accord's Draft query failed: {}",
                String::from_utf8_lossy(&accord_bytes)
            );
        }
        let (_, baseline_bytes) = fetch(&baseline, baseline_req.clone()).await?;
        let accord_json: Value = serde_json::from_slice(&accord_bytes)?;
        let baseline_json: Value = serde_json::from_slice(&baseline_bytes)?;
        let draft = &accord_json["data"]["draft"];
        notes.push(format!(
            "(1) the Draft response: {} bytes from Accord, {} from the baseline, equal as JSON: {}; {} versions, {} comments, {} notes, {} signatures, {} history entries",
            accord_bytes.len(),
            baseline_bytes.len(),
            if accord_json == baseline_json { "yes" } else { "NO" },
            draft["versions"].as_array().map_or(0, Vec::len),
            draft["comments"].as_array().map_or(0, Vec::len),
            draft["notes"].as_array().map_or(0, Vec::len),
            draft["signatures"].as_array().map_or(0, Vec::len),
            draft["history"].as_array().map_or(0, Vec::len),
        ));
        if accord_json != baseline_json {
            let path = dir.join(format!("{label}-draft-accord.json"));
            std::fs::write(&path, &accord_bytes)?;
            std::fs::write(
                dir.join(format!("{label}-draft-baseline.json")),
                &baseline_bytes,
            )?;
            say(&format!(
                "the responses differ; written next to {}",
                path.display()
            ));
        }
        let set_ceiling = Req {
            method: Method::PUT,
            path: "/ceiling",
            auth: None,
            body: accord_bytes.clone(),
        };
        fetch(&baseline, set_ceiling).await?;
        let ceiling_req = post("/ceiling", &secretariat, read_body.clone());
        let read = interleave(
            &[
                Target {
                    label: "accord",
                    server: &accord_read,
                    sources: Box::new(|| load::repeat_n(&accord_req, n)),
                },
                Target {
                    label: "baseline",
                    server: &baseline,
                    sources: Box::new(|| load::repeat_n(&baseline_req, n)),
                },
                Target {
                    label: "ceiling",
                    server: &baseline,
                    sources: Box::new(|| load::repeat_n(&ceiling_req, n)),
                },
            ],
            args,
            "(1)/(4) Draft",
        )
        .await?;
        let read_peak = accord_read.memory()?;
        let baseline_after_read = baseline.memory()?;
        accord_read.stop().await?;
        rows.push(Row::new("(1) Draft read", "accord", &read[0]));
        rows.push(Row::new("(1) Draft read", "baseline", &read[1]));
        rows.push(Row::new("(4) ceiling", "memory", &read[2]));
        goals.extend(read_goals(&read));
        memory.push(("accord idle (VmRSS)", kib(idle.rss_kib)));
        memory.push(("accord peak under (1) (VmHWM)", kib(read_peak.hwm_kib)));
        memory.push((
            "baseline peak under (1)+(4) (VmHWM)",
            kib(baseline_after_read.hwm_kib),
        ));
    }

    if let Some((small_url, large_url)) = &list_urls {
        // ---- (2) lists
        let accord_small = Server::accord(
            "accord (1k list)",
            accord,
            small_url,
            seed::SECRET,
            &log("accord-small"),
        )
        .await?;
        let accord_large = Server::accord(
            "accord (large list)",
            accord,
            large_url,
            seed::SECRET,
            &log("accord-large"),
        )
        .await?;
        let list_body = graphql_body(DRAFTS_QUERY, "Drafts", json!({ "first": 50 }))?;
        let list_req = post("/graphql", &secretariat, list_body);
        for (server, expected) in [
            (&accord_small, args.small_list_drafts),
            (&accord_large, args.list_drafts),
        ] {
            let (status, body) = fetch(server, list_req.clone()).await?;
            let value: Value = serde_json::from_slice(&body)?;
            let total = value["data"]["drafts"]["totalCount"].as_u64();
            let nodes = value["data"]["drafts"]["nodes"]
                .as_array()
                .map_or(0, Vec::len);
            if status != 200 || total != Some(expected) || nodes != 50 {
                bail!(
                    "{}: drafts(first: 50) gave status {status}, totalCount {total:?}, {nodes} nodes: {}",
                    server.name,
                    String::from_utf8_lossy(&body)
                        .chars()
                        .take(300)
                        .collect::<String>()
                );
            }
        }
        let list = interleave(
            &[
                Target {
                    label: "1k",
                    server: &accord_small,
                    sources: Box::new(|| load::repeat_n(&list_req, n)),
                },
                Target {
                    label: "large",
                    server: &accord_large,
                    sources: Box::new(|| load::repeat_n(&list_req, n)),
                },
            ],
            args,
            "(2) drafts(first: 50)",
        )
        .await?;
        accord_small.stop().await?;
        accord_large.stop().await?;
        rows.push(Row::new(
            "(2) drafts(first:50)",
            &format!("{} drafts", args.small_list_drafts),
            &list[0],
        ));
        rows.push(Row::new(
            "(2) drafts(first:50)",
            &format!("{} drafts", args.list_drafts),
            &list[1],
        ));
        goals.extend(list_goals(&list));
    }

    if args.runs(Workload::Tx) {
        // ---- (3) transitions
        let accord_tx = Server::accord(
            "accord (transitions)",
            accord,
            &main_url,
            seed::SECRET,
            &log("accord-tx"),
        )
        .await?;
        let ticket = Ticket::new(tx_drafts as usize);
        let make_sources = |path: &'static str| -> Vec<Source> {
            (0..args.tx_connections)
                .map(|_| transition_source(path, &ticket, &tx_ids, &secretariat, &delegate))
                .collect()
        };
        let tx = interleave(
            &[
                Target {
                    label: "accord",
                    server: &accord_tx,
                    sources: Box::new(|| make_sources("/graphql")),
                },
                Target {
                    label: "baseline",
                    server: &baseline,
                    sources: Box::new(|| make_sources("/tx")),
                },
            ],
            args,
            "(3) transitions",
        )
        .await?;
        if ticket.used() >= tx_drafts as usize {
            notes.push(format!(
                "(3) WARNING: all {tx_drafts} seeded transition drafts were used; some connections stopped early"
            ));
        }
        let tx_peak = accord_tx.memory()?;
        accord_tx.stop().await?;
        rows.push(Row::new("(3) transitions", "accord", &tx[0]));
        rows.push(Row::new("(3) transitions", "baseline", &tx[1]));
        goals.extend(tx_goals(&tx));
        memory.push(("accord peak under (3) (VmHWM)", kib(tx_peak.hwm_kib)));
    }

    memory.push((
        "baseline peak under all (VmHWM)",
        kib(baseline.memory()?.hwm_kib),
    ));
    baseline.stop().await?;

    // The baseline and Accord wrote to one audit chain; it must still hold.
    let store = seed::migrate(&main_url).await?;
    let verdict = accord_workflow::audit::verify(store.db()).await?;
    notes.push(format!("audit chain after the run: {verdict:?}"));
    store.db().clone().close().await.ok();

    Ok(BackendReport {
        label: label.to_owned(),
        rows,
        goals,
        memory,
        notes,
    })
}

fn kib(k: u64) -> String {
    format!("{:.1} MiB", k as f64 / 1024.0)
}

/// A connection's stream of mutations: for each draft it takes, circulate
/// (Secretariat), comment (a delegate), withdraw (Secretariat).
fn transition_source(
    path: &'static str,
    ticket: &Ticket,
    ids: &seed::IdScheme,
    secretariat: &HeaderValue,
    delegate: &HeaderValue,
) -> Source {
    let ticket = ticket.clone();
    let ids = ids.clone();
    let secretariat = secretariat.clone();
    let delegate = delegate.clone();
    let mut current: Option<String> = None;
    let mut step = 0u8;
    Box::new(move || {
        if step == 0 {
            current = Some(ids.id(ticket.take()? as u64));
        }
        let draft = current.clone()?;
        let (auth, body) = match step {
            0 => (
                &secretariat,
                graphql_body(CIRCULATE, "CirculateDraft", json!({ "draftId": draft })),
            ),
            1 => (
                &delegate,
                graphql_body(
                    ADD_COMMENT,
                    "AddComment",
                    json!({ "draftId": draft, "version": 1, "body": "The delegation of Kazakhstan supports the draft." }),
                ),
            ),
            _ => (
                &secretariat,
                graphql_body(
                    WITHDRAW,
                    "WithdrawDraft",
                    json!({ "draftId": draft, "reason": "Superseded." }),
                ),
            ),
        };
        step = (step + 1) % 3;
        Some(post(path, auth, body.ok()?))
    })
}

type Rounds = [Vec<Stats>];

fn ratio(a: &[Stats], b: &[Stats], f: &dyn Fn(&Stats) -> f64) -> f64 {
    report::median(a.iter().zip(b).map(|(a, b)| f(a) / f(b)).collect())
}

fn throughput(s: &Stats) -> f64 {
    s.throughput()
}

fn p50(s: &Stats) -> f64 {
    s.quantile_ms(0.5)
}

fn p99(s: &Stats) -> f64 {
    s.quantile_ms(0.99)
}

fn read_goals(read: &Rounds) -> Vec<Goal> {
    vec![
        Goal::at_least(
            "(1) throughput accord / baseline",
            ratio(&read[0], &read[1], &throughput),
            0.5,
        ),
        Goal::at_most(
            "(1) p99 accord / baseline",
            ratio(&read[0], &read[1], &p99),
            2.5,
        ),
        Goal::report(
            "(4) throughput accord / ceiling",
            ratio(&read[0], &read[2], &throughput),
        ),
        Goal::report(
            "(4) throughput baseline / ceiling",
            ratio(&read[1], &read[2], &throughput),
        ),
    ]
}

fn list_goals(list: &Rounds) -> Vec<Goal> {
    vec![
        Goal::at_most(
            "(2) cost of a page: large / 1k (by throughput)",
            ratio(&list[0], &list[1], &throughput),
            1.5,
        ),
        Goal::at_most("(2) p50 large / 1k", ratio(&list[1], &list[0], &p50), 1.5),
    ]
}

fn tx_goals(tx: &Rounds) -> Vec<Goal> {
    let accord_p99_over_p50 = report::median(tx[0].iter().map(|s| p99(s) / p50(s)).collect());
    let failed_accord: u64 = tx[0].iter().map(Stats::failed).sum();
    let failed_baseline: u64 = tx[1].iter().map(Stats::failed).sum();
    vec![
        Goal::at_least(
            "(3) throughput accord / baseline",
            ratio(&tx[0], &tx[1], &throughput),
            0.75,
        ),
        Goal::at_most("(3) accord p99 / p50", accord_p99_over_p50, 3.0),
        Goal::at_most("(3) failed requests, accord", failed_accord as f64, 0.0),
        Goal::report("(3) failed requests, baseline", failed_baseline as f64),
    ]
}

impl Row {
    fn new(workload: &str, target: &str, rounds: &[Stats]) -> Row {
        Row {
            workload: workload.to_owned(),
            target: target.to_owned(),
            summary: Summary::of(rounds),
        }
    }
}
