//! Walkthrough step: filled in by its own issue.

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("(not yet built)");
    Ok(())
}
