//! Runs the picker on a COO text file (`row<TAB>col<TAB>value` per line, 0-based) and prints the
//! regions and the decision table.
//!
//! ```text
//! cargo run -p gzcm-picker --example picker_report -- PATH ROWS COLS TILE SYMMETRIC(true|false) \
//!     DTYPE(u32|f32) [WEIGHTS] [CANDIDATES]
//! ```

use std::error::Error;
use std::fs;

use gzcm_core::{Dtype, Registry};
use gzcm_picker::{DEFAULT_SAMPLE_TILES, Grid, PickOptions, Survey, Weights};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 6 {
        return Err("usage: PATH ROWS COLS TILE SYMMETRIC DTYPE [WEIGHTS] [CANDIDATES]".into());
    }
    let grid = Grid::new(args[1].parse()?, args[2].parse()?, args[3].parse()?, args[4].parse()?)?;
    let dtype = Dtype::from_name(&args[5]).ok_or("dtype must be u32 or f32")?;
    let mut options = PickOptions::default();
    if let Some(weights) = args.get(6) {
        options = options.weights(Weights::parse(weights)?);
    }
    if let Some(candidates) = args.get(7) {
        options = options.candidates(candidates.split(','));
    }
    let text = fs::read_to_string(&args[0])?;
    let cells = text.lines().filter(|l| !l.trim().is_empty()).map(|line| {
        let mut parts = line.split_whitespace();
        let mut next = || parts.next().ok_or("short line");
        Ok::<_, Box<dyn Error>>((next()?.parse::<u64>()?, next()?.parse::<u64>()?, next()?.parse::<f64>()?))
    });
    let cells: Vec<(u64, u64, f64)> = cells.collect::<Result<_, _>>()?;

    let mut survey = Survey::new(grid);
    for &(r, c, _) in &cells {
        survey.observe(r, c)?;
    }
    let plan = survey.into_plan();
    let samples = plan.sample_tiles(DEFAULT_SAMPLE_TILES);
    let mut collector = samples.collector(dtype);
    for &(r, c, v) in &cells {
        match dtype {
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "integer counts")]
            Dtype::U32 => collector.push(r, c, v as u32)?,
            #[expect(clippy::cast_possible_truncation, reason = "float32 values")]
            _ => collector.push(r, c, v as f32)?,
        }
    }
    let mut registry = Registry::empty();
    gzcm_codecs::register_builtins(&mut registry)?;
    let decision = plan.pick(&registry, &collector.finish(), &options)?;
    for region in decision.regions_json() {
        println!("{region}");
    }
    print!("{}", decision.render_table());
    Ok(())
}
