//! Servers under test run as child processes, so their memory can be read
//! from `/proc/<pid>/status` and they do not share a runtime with the load
//! client.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// A server process and the address it listens on.
#[derive(Debug)]
pub struct Server {
    /// What it is, for messages.
    pub name: String,
    /// Where it listens.
    pub addr: SocketAddr,
    child: Child,
}

/// Resident memory of a process, in KiB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    /// `VmRSS`: resident now.
    pub rss_kib: u64,
    /// `VmHWM`: the peak resident size so far.
    pub hwm_kib: u64,
}

impl Server {
    /// Starts `bin serve` on `database_url` with a free loopback port and
    /// waits for its "Accord listening on ADDR" line.
    pub async fn accord(
        name: &str,
        bin: &Path,
        database_url: &str,
        secret: &str,
        log: &Path,
    ) -> anyhow::Result<Server> {
        let mut command = Command::new(bin);
        command
            .arg("serve")
            .env("ACCORD_DATABASE_URL", database_url)
            .env("ACCORD_JWT_SECRET", secret)
            .env("ACCORD_LISTEN", "127.0.0.1:0")
            .env("ACCORD_LOG", "warn");
        Server::start(name, command, "Accord listening on ", log).await
    }

    /// Starts this binary's hidden `baseline` command on `database_url`.
    pub async fn baseline(name: &str, database_url: &str, log: &Path) -> anyhow::Result<Server> {
        let exe = std::env::current_exe().context("locating the bench binary")?;
        let mut command = Command::new(exe);
        command
            .arg("baseline")
            .arg("--database-url")
            .arg(database_url);
        Server::start(name, command, crate::baseline::READY, log).await
    }

    async fn start(
        name: &str,
        mut command: Command,
        ready: &str,
        log: &Path,
    ) -> anyhow::Result<Server> {
        let log_file =
            std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true);
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {name}"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| anyhow!("{name} has no stdout"))?;
        let mut lines = BufReader::new(stdout).lines();
        let found = tokio::time::timeout(Duration::from_secs(180), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(rest) = line.strip_prefix(ready) {
                    let addr = rest.split_whitespace().next().unwrap_or_default();
                    let addr = addr.strip_prefix("http://").unwrap_or(addr);
                    return Ok::<_, anyhow::Error>(Some(addr.parse::<SocketAddr>()?));
                }
            }
            Ok(None)
        })
        .await;
        let addr = match found {
            Ok(Ok(Some(addr))) => addr,
            Ok(Ok(None)) => bail!("{name} exited before listening; see {}", log.display()),
            Ok(Err(error)) => return Err(error.context(format!("reading {name}'s output"))),
            Err(_) => bail!("{name} did not listen within 180 s; see {}", log.display()),
        };
        // Keep draining stdout so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Server {
            name: name.to_owned(),
            addr,
            child,
        })
    }

    /// The process id.
    pub fn pid(&self) -> anyhow::Result<u32> {
        self.child
            .id()
            .ok_or_else(|| anyhow!("{} has exited", self.name))
    }

    /// Its memory now.
    pub fn memory(&self) -> anyhow::Result<Memory> {
        let pid = self.pid()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .with_context(|| format!("reading /proc/{pid}/status"))?;
        let field = |key: &str| -> u64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        Ok(Memory {
            rss_kib: field("VmRSS:"),
            hwm_kib: field("VmHWM:"),
        })
    }

    /// Kills it and waits for it to go.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.child.start_kill().ok();
        self.child
            .wait()
            .await
            .with_context(|| format!("waiting for {} to exit", self.name))?;
        Ok(())
    }
}
