//! `rectiflow schedule …`: the subcommands, and what each prints.

use chrono::{NaiveDate, Utc};
use clap::Subcommand;

use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// List every dispatch, bulletin and assessment the schedules would fire from one date to
    /// another (local dates, both included), with the period each covers, its nominal and
    /// actual fire times and why it fires then (holidays, make-up working days, two dispatches
    /// made one). Without --campaign: the built-in rhythm on China's arrangement in Beijing
    /// time, with no store opened.
    Preview {
        /// The first local date, `YYYY-MM-DD`.
        #[arg(long)]
        from: NaiveDate,
        /// The last local date, `YYYY-MM-DD` (at most ten years after --from).
        #[arg(long)]
        to: NaiveDate,
        /// Preview this campaign's rhythm, time zone and the county's working days, read from
        /// the store (read-only).
        #[arg(long)]
        campaign: Option<String>,
        /// Print a JSON array, one object per occurrence.
        #[arg(long)]
        json: bool,
    },
    /// List each campaign's schedules (weekly dispatch, monthly bulletin, quarterly
    /// assessment): running, paused or deleted, the next fire times on the campaign's
    /// calendar, and what became of the last occurrence — fired (late or not) or skipped, and
    /// whether its publications are all made. Read from the store, read-only.
    List {
        /// Only this campaign's schedules.
        #[arg(long)]
        campaign: Option<String>,
        /// Print a JSON array, one object per schedule.
        #[arg(long)]
        json: bool,
    },
}

/// Runs one `schedule` subcommand, printing its table or JSON on standard output.
pub async fn run(config: &Config, command: ScheduleCommand) -> anyhow::Result<()> {
    match command {
        ScheduleCommand::Preview {
            from,
            to,
            campaign,
            json,
        } => {
            let lines = match campaign {
                Some(campaign) => super::preview_campaign(config, &campaign, from, to).await?,
                None => super::preview_default(from, to)?,
            };
            if json {
                println!("{}", serde_json::to_string(&lines)?);
            } else {
                print!("{}", super::table(&lines));
            }
        }
        ScheduleCommand::List { campaign, json } => {
            let lines = super::list::list(config, campaign.as_deref(), Utc::now()).await?;
            if json {
                println!("{}", serde_json::to_string(&lines)?);
            } else {
                print!("{}", super::list::table(&lines));
            }
        }
    }
    Ok(())
}
