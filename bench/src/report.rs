//! The printed report: the machine, a table of medians per workload and
//! target, and each goal's ratio with PASS or FAIL.

use std::time::Duration;

use crate::load::Stats;

/// The median of `values` (NaN when empty); NaNs sort last.
pub fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// Medians over rounds of one target.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Successful requests per second.
    pub throughput: f64,
    /// Median latency, ms.
    pub p50_ms: f64,
    /// 99th percentile latency, ms.
    pub p99_ms: f64,
    /// Failed requests over all rounds.
    pub failed: u64,
    /// Requests over all rounds.
    pub requests: u64,
}

impl Summary {
    /// Medians of `rounds`.
    pub fn of(rounds: &[Stats]) -> Summary {
        Summary {
            throughput: median(rounds.iter().map(Stats::throughput).collect()),
            p50_ms: median(rounds.iter().map(|s| s.quantile_ms(0.5)).collect()),
            p99_ms: median(rounds.iter().map(|s| s.quantile_ms(0.99)).collect()),
            failed: rounds.iter().map(Stats::failed).sum(),
            requests: rounds.iter().map(|s| s.ok + s.failed()).sum(),
        }
    }
}

/// One line of the table.
#[derive(Debug, Clone)]
pub struct Row {
    /// e.g. `(1) Draft read`.
    pub workload: String,
    /// e.g. `accord`.
    pub target: String,
    /// Its medians.
    pub summary: Summary,
}

/// How a goal is judged.
#[derive(Debug, Clone, Copy)]
enum Bound {
    AtLeast(f64),
    AtMost(f64),
    None,
}

/// A ratio and its goal.
#[derive(Debug, Clone)]
pub struct Goal {
    name: String,
    value: f64,
    bound: Bound,
}

impl Goal {
    /// Passes when `value >= min`.
    pub fn at_least(name: &str, value: f64, min: f64) -> Goal {
        Goal {
            name: name.into(),
            value,
            bound: Bound::AtLeast(min),
        }
    }

    /// Passes when `value <= max`.
    pub fn at_most(name: &str, value: f64, max: f64) -> Goal {
        Goal {
            name: name.into(),
            value,
            bound: Bound::AtMost(max),
        }
    }

    /// Reported without a goal.
    pub fn report(name: &str, value: f64) -> Goal {
        Goal {
            name: name.into(),
            value,
            bound: Bound::None,
        }
    }

    fn verdict(&self) -> (&'static str, String) {
        match self.bound {
            Bound::AtLeast(min) if self.value >= min => ("PASS", format!(">= {min}")),
            Bound::AtLeast(min) => ("FAIL", format!(">= {min}")),
            Bound::AtMost(max) if self.value <= max => ("PASS", format!("<= {max}")),
            Bound::AtMost(max) => ("FAIL", format!("<= {max}")),
            Bound::None => ("", "(report)".into()),
        }
    }
}

/// Everything measured on one database system.
#[derive(Debug, Clone)]
pub struct BackendReport {
    /// `sqlite` or `postgres`.
    pub label: String,
    /// The table.
    pub rows: Vec<Row>,
    /// The goals.
    pub goals: Vec<Goal>,
    /// (what, size).
    pub memory: Vec<(&'static str, String)>,
    /// Free-form lines.
    pub notes: Vec<String>,
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Prints the whole report to stdout.
pub fn print(args: &str, reports: &[BackendReport], took: Duration) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!();
    println!("# Accord benchmark");
    println!(
        "date: {}   machine: {cpus} CPUs ({}), loopback",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        cpu_model()
    );
    println!("{args}; total time {:.0} s", took.as_secs_f64());
    println!(
        "figures are medians over rounds; ratios are medians of per-round ratios (A and B measured back to back)"
    );
    for report in reports {
        println!();
        println!("## {}", report.label);
        println!();
        println!(
            "| {:<22} | {:<16} | {:>9} | {:>8} | {:>8} | {:>8} | {:>8} |",
            "workload", "target", "req/s", "p50 ms", "p99 ms", "failed", "requests"
        );
        println!(
            "|{:-<24}|{:-<18}|{:->11}|{:->10}|{:->10}|{:->10}|{:->10}|",
            "", "", "", "", "", "", ""
        );
        for row in &report.rows {
            let s = &row.summary;
            println!(
                "| {:<22} | {:<16} | {:>9.0} | {:>8.2} | {:>8.2} | {:>8} | {:>8} |",
                row.workload, row.target, s.throughput, s.p50_ms, s.p99_ms, s.failed, s.requests
            );
        }
        println!();
        println!(
            "| {:<48} | {:>8} | {:<10} | {:<4} |",
            "goal", "value", "target", ""
        );
        println!("|{:-<50}|{:->10}|{:-<12}|{:-<6}|", "", "", "", "");
        for goal in &report.goals {
            let (verdict, target) = goal.verdict();
            println!(
                "| {:<48} | {:>8.3} | {:<10} | {:<4} |",
                goal.name, goal.value, target, verdict
            );
        }
        println!();
        println!("(5) memory of the server process:");
        for (what, size) in &report.memory {
            println!("  {what:<40} {size}");
        }
        for note in &report.notes {
            println!("- {note}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(Vec::new()).is_nan());
    }

    #[test]
    fn goals_are_judged_against_their_bounds() {
        assert_eq!(Goal::at_least("x", 0.6, 0.5).verdict().0, "PASS");
        assert_eq!(Goal::at_least("x", 0.4, 0.5).verdict().0, "FAIL");
        assert_eq!(Goal::at_most("x", 1.6, 1.5).verdict().0, "FAIL");
        assert_eq!(Goal::report("x", 1.0).verdict().0, "");
    }
}
