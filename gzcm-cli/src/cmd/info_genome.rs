//! `gzcm info`'s lines about genome data: chromosomes, bins, assembly, weight vectors and
//! stored expected tables.

use gzcm_container::{Bins, Genome, StoredExpected};
use serde_json::{Value, json};

/// Chromosomes listed by name before the rest are counted.
const SHOWN_CHROMS: usize = 5;

/// The genome lines of the text report (`key` padded to 10 columns, as the other lines).
pub(crate) fn lines(genome: &Genome) -> String {
    let mut out = String::new();
    let mut line = |key: &str, value: String| out.push_str(&format!("{key:<10}{value}\n"));
    if let Some(assembly) = genome.assembly() {
        line("assembly", assembly.to_owned());
    }
    let chroms = genome.chroms();
    let mut names: Vec<String> =
        chroms.iter().take(SHOWN_CHROMS).map(|c| format!("{} ({} bp)", c.name, c.length)).collect();
    if chroms.len() > SHOWN_CHROMS {
        names.push("…".to_owned());
    }
    line("chroms", format!("{}: {}", chroms.len(), names.join(", ")));
    let bins = match genome.bins() {
        Bins::Fixed { bin_size } => format!("{} of {bin_size} bp (resolution)", genome.n_bins()),
        Bins::Variable { .. } => format!("{} of variable size", genome.n_bins()),
    };
    line("bins", bins);
    let weights: Vec<String> = genome
        .weights()
        .iter()
        .map(|w| format!("{} ({} of {} non-NaN)", w.name, w.finite_count(), w.values.len()))
        .collect();
    line("weights", if weights.is_empty() { "none".to_owned() } else { weights.join(", ") });
    out
}

/// The line listing the stored cis expected tables (`gzcm expected --store`), if any: each
/// table's weight vector and `ignore_diags`, and whether its vector changed since.
pub(crate) fn expected_line(genome: &Genome, tables: &[StoredExpected]) -> Option<String> {
    let listed: Vec<String> = tables
        .iter()
        .map(|t| {
            let current = genome.weight(&t.balance).is_some_and(|w| t.computed_with(&w.values));
            let stale = if current { "" } else { ", stale: its vector changed" };
            format!("{} (ignore_diags {}{stale})", t.balance, t.ignore_diags)
        })
        .collect();
    (!listed.is_empty()).then(|| format!("{:<10}{}\n", "expected", listed.join(", ")))
}

/// The genome summary added to `info --json`.
pub(crate) fn json(genome: &Genome) -> Value {
    json!({
        "assembly": genome.assembly(),
        "resolution": genome.resolution(),
        "n_bins": genome.n_bins(),
        "n_chroms": genome.chroms().len(),
        "weights": genome
            .weights()
            .iter()
            .map(|w| json!({"name": w.name, "non_nan": w.finite_count()}))
            .collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use gzcm_container::WeightVector;

    #[test]
    fn lines_name_chromosomes_bins_and_weights() {
        let chroms: Vec<(String, u64)> = (1..=7).map(|i| (format!("chr{i}"), 100)).collect();
        let genome = Genome::fixed(&chroms, 50)
            .unwrap()
            .with_assembly(Some("hg19".into()))
            .with_weights(vec![WeightVector::new("weight", [1.0, f64::NAN].repeat(7))])
            .unwrap();
        let text = lines(&genome);
        assert!(text.contains("assembly  hg19\n"), "{text}");
        assert!(
            text.contains(
                "chroms    7: chr1 (100 bp), chr2 (100 bp), chr3 (100 bp), chr4 (100 bp), chr5 (100 bp), …\n"
            ),
            "{text}"
        );
        assert!(text.contains("bins      14 of 50 bp (resolution)\n"), "{text}");
        assert!(text.contains("weights   weight (7 of 14 non-NaN)\n"), "{text}");
        let value = json(&genome);
        assert_eq!(value["weights"][0]["non_nan"], 7);
        assert_eq!(value["resolution"], 50);
    }
}
