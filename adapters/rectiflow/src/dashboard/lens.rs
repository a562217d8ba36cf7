//! What a page looks through: which campaign, and as of when. The "as of" control is the
//! dashboard's time travel — an `<input type="datetime-local">` read in the campaign's time
//! zone — and every link a page makes carries it on, so a drill-down from last month's ranking
//! shows last month's items.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use maud::{html, Markup};
use rectiflow_domain::campaign::{Campaign, TaskForce};
use rectiflow_domain::organisation::Acting;
use rectiflow_domain::publication::{PublicationKind, PublicationScope};
use rectiflow_domain::values::{CampaignId, TaskForceId};
use rectiflow_projections::live::{campaign_of, LiveFigures};
use rectiflow_store::Store;

use crate::access::Principal;
use crate::api::problem::Problem;
use crate::api::Api;

/// A page's campaign and instant.
pub struct Lens {
    pub id: CampaignId,
    pub campaign: Arc<Campaign>,
    /// Every campaign on record, for the chooser.
    pub campaigns: Vec<String>,
    pub tz: Tz,
    /// The instant asked for; `None`: now.
    pub as_of: Option<DateTime<Utc>>,
    /// Now, on the service's clock (a rehearsal's simulated one).
    pub now: DateTime<Utc>,
}

impl Lens {
    /// The campaign `campaign` names (the last on record by default), as of `as_of` (read as
    /// RFC 3339, or as a local date and time in the campaign's time zone).
    pub async fn read<S: Store>(
        api: &Api<S>,
        campaign: Option<&str>,
        as_of: Option<&str>,
    ) -> Result<Self, Problem> {
        let mut campaigns = api
            .store
            .all_stream_ids("campaign")
            .await
            .map_err(|e| Problem::store(&e))?;
        campaigns.sort();
        let chosen = match campaign.filter(|c| !c.is_empty()) {
            Some(asked) if campaigns.iter().any(|c| c == asked) => asked.to_owned(),
            Some(asked) => {
                return Err(Problem::not_found(
                    "dashboard.unknown_campaign",
                    format!("整治行动 {asked} 不存在"),
                )
                .field("campaign"))
            }
            None => latest(api, &campaigns).await?.ok_or_else(|| {
                Problem::not_found("dashboard.no_campaign", "尚未设立整治行动：暂无可看的数据")
            })?,
        };
        let id = CampaignId::parse(chosen.as_str()).map_err(|e| {
            Problem::bad_request("request.invalid_parameter", e.to_string()).field("campaign")
        })?;
        let campaign = campaign_of(&api.services, &id, &PublicationScope::County)
            .await
            .map_err(crate::api::figures::live_problem)?;
        let tz = campaign.settings().time_zone;
        let as_of = match as_of.map(str::trim).filter(|a| !a.is_empty()) {
            Some(text) => crate::api::instant(Some(instant(text, tz)?), "as_of")?,
            None => None,
        };
        Ok(Self {
            id,
            campaign,
            campaigns,
            tz,
            as_of,
            now: api.clock.now(),
        })
    }

    /// The instant the page is read at.
    pub fn at(&self) -> DateTime<Utc> {
        self.as_of.unwrap_or(self.now)
    }

    /// `campaign=…&as_of=…` and `extra`, for a link that keeps this lens.
    pub fn query(&self, extra: &[(&str, &str)]) -> String {
        let as_of = self
            .as_of
            .map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        let mut pairs: Vec<(&str, &str)> = vec![("campaign", self.id.as_str())];
        if let Some(as_of) = &as_of {
            pairs.push(("as_of", as_of));
        }
        pairs.extend_from_slice(extra);
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    /// [`Self::query`] with the instant always named (now, when the page is live): for a link
    /// to figures computed when followed, which must be those the reader clicked.
    pub fn pinned_query(&self, extra: &[(&str, &str)]) -> String {
        let at = self
            .at()
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let mut pairs: Vec<(&str, &str)> = vec![("campaign", self.id.as_str()), ("as_of", &at)];
        pairs.extend_from_slice(extra);
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    /// The campaign and `kept`, without the instant: the same page as it stands now.
    fn now_query(&self, kept: &[(&str, &str)]) -> String {
        let mut pairs: Vec<(&str, &str)> = vec![("campaign", self.id.as_str())];
        pairs.extend_from_slice(kept);
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    /// The month's figures so far (a bulletin's, recorded nowhere) of `task_force` (`None`:
    /// the county), judged at the lens's instant, as the API's `/figures` reads them.
    pub async fn month_so_far<S: Store>(
        &self,
        api: &Api<S>,
        principal: &Principal,
        task_force: &Option<String>,
    ) -> Result<LiveFigures, Problem> {
        let kind = PublicationKind::Bulletin;
        let (_, live, _) = crate::api::figures::so_far(
            api,
            principal,
            self.id.as_str(),
            kind,
            task_force,
            self.as_of,
        )
        .await?;
        Ok(live)
    }

    /// A task force's name, or `id` itself when the campaign has no such task force.
    pub fn task_force_name(&self, id: &str) -> String {
        self.campaign
            .task_forces()
            .iter()
            .find(|(t, _)| t.as_str() == id)
            .map_or_else(|| id.to_owned(), |(_, t)| t.name.to_string())
    }

    /// The task forces `principal` reads: every one for leadership, its own for a
    /// secretariat.
    pub fn task_forces<'a>(
        &'a self,
        principal: &'a Principal,
    ) -> impl Iterator<Item = (&'a TaskForceId, &'a TaskForce)> {
        self.campaign
            .task_forces()
            .iter()
            .filter(move |(id, _)| match &principal.acting {
                Acting::Secretariat { task_forces } => task_forces.contains(*id),
                _ => true,
            })
    }

    /// The controls: the campaign chooser and the as-of instant, submitted to `action` with
    /// `hidden` fields kept.
    pub fn controls(&self, action: &str, hidden: &[(&str, &str)]) -> Markup {
        let local = self.as_of.map(|at| {
            at.with_timezone(&self.tz)
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        });
        html! {
            form.controls method="get" action=(action) {
                @for (name, value) in hidden {
                    input type="hidden" name=(name) value=(value);
                }
                label { "整治行动"
                    select name="campaign" {
                        @for id in &self.campaigns {
                            option value=(id) selected[*id == self.id.as_str()] { (id) }
                        }
                    }
                }
                label { "截至（时光回溯）"
                    input type="datetime-local" name="as_of" value=[local];
                }
                button type="submit" { "查看" }
                @if self.as_of.is_some() {
                    a href=(format!("{action}?{}", self.now_query(hidden))) { "回到现在" }
                }
                span.muted {
                    @match self.as_of {
                        Some(at) if at > self.now => { "预测：截至 " (super::format::local(at, self.tz)) "，若此后不再记录任何事实" }
                        Some(at) => { "回溯：截至 " (super::format::local(at, self.tz)) }
                        None => { "实时：" (super::format::local(self.now, self.tz)) }
                    }
                }
            }
        }
    }
}

/// Of `campaigns`, the one of the latest year (the last id of that year).
async fn latest<S: Store>(api: &Api<S>, campaigns: &[String]) -> Result<Option<String>, Problem> {
    let mut best: Option<(u16, &String)> = None;
    for id in campaigns {
        let Ok(parsed) = CampaignId::parse(id.as_str()) else {
            continue;
        };
        let campaign = campaign_of(&api.services, &parsed, &PublicationScope::County)
            .await
            .map_err(crate::api::figures::live_problem)?;
        if best.is_none_or(|(year, _)| campaign.year() >= year) {
            best = Some((campaign.year(), id));
        }
    }
    Ok(best.map(|(_, id)| id.clone()))
}

/// An instant as a reader gives it: RFC 3339, or a local date and time (`2026-04-30T18:00`,
/// with or without seconds) or a local date (its end, 24:00) in `tz`.
fn instant(text: &str, tz: Tz) -> Result<DateTime<Utc>, Problem> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .or_else(|| {
            let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
            day.succ_opt()?.and_hms_opt(0, 0, 0)
        });
    let at = local.and_then(|local| tz.from_local_datetime(&local).earliest());
    at.map(|at| at.with_timezone(&Utc)).ok_or_else(|| {
        Problem::bad_request(
            "request.invalid_parameter",
            format!("as_of 须为日期时间（如 2026-04-30T18:00，或 RFC 3339），收到 {text:?}"),
        )
        .field("as_of")
    })
}
