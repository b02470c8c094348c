//! BED files naming genomic regions (a blacklist, a view of regions such as arms), read into
//! bins of a genome. Lines starting with `#`, `track` or `browser` and blank lines are
//! skipped; so is a first line whose start is not a number (a header, as cooler and bioframe
//! accept); the fourth column, when present, names the region.

use std::path::Path;

use gzcm_genome::Genome;

use crate::error::BalanceError;

/// A BED region on a genome: its chromosome index, its bp range, its name and the bins
/// overlapping it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BedRegion {
    /// Chromosome index in the genome.
    pub chrom: usize,
    /// Start in bp.
    pub start: u64,
    /// End in bp.
    pub end: u64,
    /// The fourth column, else `chrom:start-end`.
    pub name: String,
    /// Genome-wide bins overlapping it.
    pub bins: std::ops::Range<u64>,
}

/// Reads the BED file at `path` against `genome`.
///
/// # Errors
/// [`BalanceError::Io`] when it cannot be read; [`BalanceError::Bed`] naming the line of a
/// chromosome the genome lacks, a malformed coordinate, or a region past the chromosome's end.
pub fn read_bed(path: &Path, genome: &Genome) -> Result<Vec<BedRegion>, BalanceError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| BalanceError::Io { path: path.to_owned(), source })?;
    parse_bed(&text, genome).map_err(|(line, problem)| BalanceError::Bed {
        path: path.to_owned(),
        line,
        problem,
    })
}

fn parse_bed(text: &str, genome: &Genome) -> Result<Vec<BedRegion>, (usize, String)> {
    let mut regions = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim_end();
        if line.is_empty()
            || line.starts_with('#')
            || line.starts_with("track")
            || line.starts_with("browser")
        {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 3 {
            return Err((number, "a BED line needs at least chrom, start and end, tab-separated".to_owned()));
        }
        let (Ok(start), Ok(end)) = (fields[1].trim().parse::<u64>(), fields[2].trim().parse::<u64>()) else {
            if regions.is_empty() && index == 0 {
                continue; // a header line
            }
            return Err((number, format!("`{}`–`{}` are not base-pair positions", fields[1], fields[2])));
        };
        let name = fields[0];
        let Some((chrom, info)) = genome.chrom(name) else {
            let names: Vec<&str> = genome.chroms().iter().take(8).map(|c| c.name.as_str()).collect();
            return Err((
                number,
                format!("chromosome `{name}` is not in the file (it has {}, …)", names.join(", ")),
            ));
        };
        if start > end || end > info.length {
            return Err((
                number,
                format!("{start}-{end} is not a range within `{name}` ({} bp)", info.length),
            ));
        }
        let label = fields.get(3).map_or_else(|| format!("{name}:{start}-{end}"), |l| (*l).to_owned());
        regions.push(BedRegion {
            chrom,
            start,
            end,
            name: label,
            bins: genome.overlapping(chrom, start, end),
        });
    }
    Ok(regions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn genome() -> Genome {
        Genome::fixed(&[("chr1".to_owned(), 100), ("chr2".to_owned(), 50)], 10).unwrap()
    }

    #[test]
    fn regions_become_overlapping_bins() {
        let text = "chrom\tstart\tend\n# comment\nchr1\t5\t25\tp\nchr2\t0\t50\n";
        let regions = parse_bed(text, &genome()).unwrap();
        assert_eq!(regions[0].bins, 0..3);
        assert_eq!(regions[0].name, "p");
        assert_eq!(regions[1].bins, 10..15);
        assert_eq!(regions[1].name, "chr2:0-50");
    }

    #[test]
    fn bad_lines_are_named() {
        assert_eq!(parse_bed("chr1\t0\t10\nchrX\t0\t10\n", &genome()).unwrap_err().0, 2);
        assert!(parse_bed("chr1\t0\t500\n", &genome()).unwrap_err().1.contains("100 bp"));
        assert!(parse_bed("chr1 0 10\n", &genome()).unwrap_err().1.contains("tab"));
        assert!(parse_bed("chr1\t0\t10\nchr1\tx\t10\n", &genome()).unwrap_err().1.contains("positions"));
    }
}
