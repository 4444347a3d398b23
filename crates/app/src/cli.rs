//! The command line (clap). Every command has `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "kojo",
    version,
    about = "kojo: factory cybersecurity along METI's factory guideline — self-assessment, sector surveys, national report",
    long_about = None
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Clone, Default)]
pub struct GlobalArgs {
    /// Database: a SQLite file path (default ./kojo-data/kojo.db) or postgres://user:pass@host/db
    #[arg(long, global = true, env = "KOJO_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Configuration file (default: ./kojo.toml if it exists)
    #[arg(long, global = true, env = "KOJO_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the web server (creates and migrates the database on first start)
    Serve(ServeArgs),
    /// Create or upgrade the database schema, then exit
    Migrate,
    /// Check or export the built-in content (checklists, scales, reference tables, baseline)
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
    /// Manage user accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage organisations (ministry, associations, companies)
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Manage a company's sites (factories)
    Site {
        #[command(subcommand)]
        command: SiteCommand,
    },
    /// Self-assessment: offline workbook, import, report
    Assess {
        #[command(subcommand)]
        command: AssessCommand,
    },
    /// Sector surveys: open a round, import answers, reports; simulate and analyze response files
    Survey {
        #[command(subcommand)]
        command: SurveyCommand,
    },
    /// The plant model of a factory: zones, conduits, assets; simulated plants; attack routes
    Plant {
        #[command(subcommand)]
        command: PlantCommand,
    },
    /// The risk analysis of a factory's plant model (the guideline's step 2)
    Risk {
        #[command(subcommand)]
        command: RiskCommand,
    },
    /// Vulnerabilities: import CSAF advisories and KEV files, match a site's assets, report
    Vuln {
        #[command(subcommand)]
        command: VulnCommand,
    },
}

#[derive(Subcommand)]
pub enum RiskCommand {
    /// Print the risk analysis as JSON (the shape of GET /api/sites/{site}/risk) or write it as
    /// a workbook in the layout of IPA's risk-analysis sheets (asset-based, business-impact
    /// based, findings)
    Report(RiskReportArgs),
}

#[derive(Args)]
pub struct RiskReportArgs {
    /// The site (id)
    #[arg(long)]
    pub site: kojo_core::ids::SiteId,
    /// Print the analysis as JSON (the default when no file is asked for)
    #[arg(long)]
    pub json: bool,
    /// Write the workbook to this .xlsx file
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
    /// Language of the texts (ja or en)
    #[arg(long, default_value = "ja")]
    pub lang: String,
    /// Risk rule set (ipa-sme, ipa-27; default: the content's default)
    #[arg(long)]
    pub rules: Option<String>,
    /// Targets: assets of importance 3 (default) or 2 and above
    #[arg(long)]
    pub min_importance: Option<String>,
    /// The most zone boundaries a route may cross, 1-10 (default 6)
    #[arg(long)]
    pub max_hops: Option<String>,
    /// JSON: how many routes to list, highest risk first (1-1000, default 50); the workbook
    /// lists up to 20,000
    #[arg(long)]
    pub limit: Option<usize>,
}

#[derive(Subcommand)]
pub enum VulnCommand {
    /// Import CSAF 2.0 advisories (files, directories, a provider's mirrored tree) and CISA KEV
    /// files (JSON or CSV); every site with assets is matched again. Importing the same files
    /// again changes nothing
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Match a site's assets against the imported advisories and list the matches, highest
    /// priority first
    Match {
        #[arg(long)]
        site: kojo_core::ids::SiteId,
        /// Print the matches as JSON
        #[arg(long)]
        json: bool,
        /// Language of the explanations (ja or en)
        #[arg(long, default_value = "ja")]
        lang: String,
    },
    /// Write a site's matches as a workbook and/or its statuses as a CSAF VEX document
    Report {
        #[arg(long)]
        site: kojo_core::ids::SiteId,
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// CSAF 2.0 VEX of the site's statuses
        #[arg(long)]
        vex: Option<PathBuf>,
        #[arg(long, default_value = "ja")]
        lang: String,
    },
    /// Attach an SBOM (CycloneDX 1.4-1.6 JSON/XML, SPDX 2.3 JSON/tag-value) or a VEX
    /// (CycloneDX, CSAF) to one of a site's assets; the site is matched again
    Attach {
        #[arg(long)]
        site: kojo_core::ids::SiteId,
        #[arg(long)]
        asset: kojo_core::ids::AssetId,
        file: PathBuf,
    },
    /// How many version expressions of CSAF files the version grammar parses (no database)
    GrammarStats {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// How many of the most frequent unparsed expressions to list
        #[arg(long, default_value_t = 15)]
        show: usize,
    },
}

#[derive(Subcommand)]
pub enum PlantCommand {
    /// Make a realistic plant (the same for the same seed) as a JSON model file, or store it as
    /// a site's model
    Simulate {
        #[arg(long, default_value_t = 1000)]
        assets: usize,
        #[arg(long, default_value_t = 40)]
        zones: usize,
        /// Conduits wanted (default: five per zone)
        #[arg(long)]
        conduits: Option<usize>,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Write the model to this JSON file
        #[arg(long, conflicts_with = "site", required_unless_present = "site")]
        out: Option<PathBuf>,
        /// Replace this site's model with it
        #[arg(long)]
        site: Option<kojo_core::ids::SiteId>,
    },
    /// Import into a site: an asset register (資産台帳, .xlsx or .csv: adds and updates assets,
    /// every bad cell reported, all or nothing), or a whole model written by name (.toml or
    /// .json: replaces the model; see docs/plant.md)
    Import {
        #[arg(long)]
        site: kojo_core::ids::SiteId,
        file: PathBuf,
        /// Register only: delete the site's assets the register does not list (with their
        /// data flows)
        #[arg(long)]
        remove_missing: bool,
        /// Language of the register's error messages (ja or en)
        #[arg(long, default_value = "ja")]
        lang: String,
    },
    /// Write a site's model by name (TOML, or JSON with --json), to a file or standard output;
    /// or its asset register as a workbook with --xlsx
    Export {
        #[arg(long)]
        site: kojo_core::ids::SiteId,
        #[arg(long, conflicts_with = "xlsx")]
        json: bool,
        #[arg(long, conflicts_with = "xlsx")]
        out: Option<PathBuf>,
        /// Write the site's asset register (資産台帳) to this .xlsx file
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// Language of the register workbook (ja or en)
        #[arg(long, default_value = "ja")]
        lang: String,
    },
    /// Write the blank asset register (資産台帳) to fill in Excel, with drop-downs (with --site,
    /// the site's zones too)
    Template {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        site: Option<kojo_core::ids::SiteId>,
        /// Language of the workbook (ja or en)
        #[arg(long, default_value = "ja")]
        lang: String,
    },
    /// Count the attack routes to the most important zones and time the search
    Routes {
        #[command(flatten)]
        source: PlantSource,
        /// The most conduits a route may cross
        #[arg(long, default_value_t = 6)]
        max_hops: usize,
    },
    /// Write the zone graph, footholds and targets the route search walks (for other tools)
    Graph {
        #[command(flatten)]
        source: PlantSource,
        #[arg(long, default_value_t = 6)]
        max_hops: usize,
        #[arg(long)]
        out: PathBuf,
    },
}

/// A plant model: a JSON file or a site.
#[derive(Args)]
#[group(required = true, multiple = false)]
pub struct PlantSource {
    /// A model file: by name (TOML or JSON, as `kojo plant export` writes) or with ids (JSON,
    /// as `kojo plant simulate --out` writes)
    #[arg(long)]
    pub plant: Option<PathBuf>,
    /// A site (id) of the database
    #[arg(long)]
    pub site: Option<kojo_core::ids::SiteId>,
}

#[derive(Subcommand)]
pub enum SurveyCommand {
    /// Write a synthetic response file whose figures follow the 2022 baseline
    Simulate {
        /// Instrument id (association-2022, company-2022)
        #[arg(long)]
        instrument: String,
        /// Number of respondents
        #[arg(long)]
        n: usize,
        /// Random seed (the same seed gives the same file)
        #[arg(long, default_value_t = 2022)]
        seed: u64,
        /// Write to this file instead of standard output
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Open a round of an instrument for an association (or the ministry)
    Open {
        /// The organisation running the round (id or name)
        #[arg(long)]
        org: String,
        /// Instrument id (company-2022, association-2022)
        #[arg(long)]
        instrument: String,
        /// The round's title
        title: String,
    },
    /// Import a response file (CSV or xlsx) into a round: every cell checked, all or nothing
    Import {
        /// The round (id)
        #[arg(long)]
        round: kojo_core::ids::RoundId,
        /// The response file
        file: PathBuf,
    },
    /// Close a round: no answers, corrections or imports from then on; its association sees its
    /// report from then on
    Close {
        /// The round (id)
        #[arg(long)]
        round: kojo_core::ids::RoundId,
    },
    /// Print or write a round's report (the disclosure rule applied)
    Report {
        /// The round (id)
        #[arg(long)]
        round: kojo_core::ids::RoundId,
        /// Print the results as JSON (figures keyed by id with value, count, n)
        #[arg(long)]
        json: bool,
        /// Write the report workbook (a sheet per section) to this .xlsx file
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// Language of the workbook (ja or en)
        #[arg(long, default_value = "ja")]
        lang: String,
        /// Disclosure threshold (at least 5; default: `disclosure_k` of kojo.toml, else 5)
        #[arg(long, env = "KOJO_DISCLOSURE_K")]
        k: Option<u64>,
    },
    /// Print what `analyze` computes (columns, routing, figures, cross-tabs) as JSON, so other
    /// tools can run the same computations (used by the benchmark's peer scripts)
    Plan {
        #[arg(long)]
        instrument: String,
        #[arg(long = "crosstab")]
        crosstabs: Vec<String>,
    },
    /// Aggregate a response file directly, without a database
    Analyze {
        /// Instrument id
        #[arg(long)]
        instrument: String,
        /// The response file (CSV, UTF-8)
        file: PathBuf,
        /// Cross-tabulate OF within each answer of BY (BY:OF; @industry, @size_band, @prefecture, @sc3 for attributes); repeatable
        #[arg(long = "crosstab")]
        crosstabs: Vec<String>,
        /// Apply the disclosure rule with this threshold (at least 5). Without it every group is
        /// shown: `analyze` is for the ministry's own raw files; published views use `report`
        #[arg(long)]
        k: Option<u64>,
        /// Print the full results as JSON (figures keyed by id with value, count, n)
        #[arg(long)]
        json: bool,
        /// Worker threads (default: the machine's cores)
        #[arg(long)]
        threads: Option<usize>,
    },
}

#[derive(Subcommand)]
pub enum SiteCommand {
    /// Add a site (factory) to a company
    Add(SiteAddArgs),
}

#[derive(Args)]
pub struct SiteAddArgs {
    /// The company (id or name)
    #[arg(long)]
    pub org: String,
    /// The site's name
    pub name: String,
    /// Prefecture code (01-47)
    #[arg(long)]
    pub prefecture: Option<String>,
}

#[derive(Subcommand)]
pub enum AssessCommand {
    /// Write the blank checklist workbook to fill in offline (Excel)
    Template {
        /// Checklist id or id/version (default: the newest factory-guideline)
        #[arg(long)]
        checklist: Option<String>,
        /// Language of the workbook (ja or en)
        #[arg(long, default_value = "ja")]
        lang: String,
        /// Where to write the .xlsx
        #[arg(long)]
        out: PathBuf,
    },
    /// Create an assessment from a filled workbook (every cell checked; all or nothing)
    Import {
        /// The site (id)
        #[arg(long)]
        site: kojo_core::ids::SiteId,
        /// The filled .xlsx
        file: PathBuf,
    },
    /// Print or write an assessment's report
    Report(ReportArgs),
}

#[derive(Args)]
pub struct ReportArgs {
    /// The assessment id
    pub id: kojo_core::ids::AssessmentId,
    /// Print the report as JSON (the default when no file is asked for)
    #[arg(long)]
    pub json: bool,
    /// Write the results workbook to this .xlsx file
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
    /// Write the printable report to this .html file (self-contained)
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Language of the xlsx and html (ja or en)
    #[arg(long, default_value = "ja")]
    pub lang: String,
}

#[derive(Args, Clone, Default)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080)
    #[arg(long, env = "KOJO_LISTEN")]
    pub listen: Option<String>,
    /// The URL users reach kojo at, for links kojo prints (default: http://<listen address>)
    #[arg(long, env = "KOJO_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Mark cookies Secure (when kojo is reached over HTTPS)
    #[arg(long, env = "KOJO_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Load demo organisations, sites and users so a newcomer can look around
    #[arg(long)]
    pub demo: bool,
    /// Disclosure threshold k: survey groups with fewer respondents are withheld (at least 5)
    #[arg(long, env = "KOJO_DISCLOSURE_K")]
    pub disclosure_k: Option<u64>,
    /// A reverse proxy (address or network, e.g. 127.0.0.1 or 10.0.0.0/8) whose X-Forwarded-For
    /// names the client; repeatable. Default: none (the header is ignored)
    #[arg(long, env = "KOJO_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxy: Vec<String>,
}

#[derive(Subcommand)]
pub enum ContentCommand {
    /// Validate content: unique ids, resolving references, both languages, sized measures
    Check {
        /// Check a content directory on disk instead of the content built into this binary
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Print the whole content catalogue
    Export {
        /// As JSON (the only format)
        #[arg(long, required = true)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user; prints a generated password unless --password-stdin is given
    Add(UserAddArgs),
    /// List users
    List {
        /// Only the users of this organisation (id or name)
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Set a new password (ends the user's sessions)
    Passwd {
        login: String,
        /// Read the new password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Args)]
pub struct UserAddArgs {
    /// Login ID (letters, digits and . _ - @ +)
    pub login: String,
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// The user's organisation (id or name); not for --role admin
    #[arg(long)]
    pub org: Option<String>,
    /// Display name (default: the login)
    #[arg(long)]
    pub name: Option<String>,
    /// Interface language
    #[arg(long, default_value = "ja")]
    pub locale: String,
    /// Read the password from the first line of standard input
    #[arg(long)]
    pub password_stdin: bool,
}

/// Roles as typed (`company-admin`); the stored spelling `kojo user list` prints
/// (`company_admin`) is accepted too.
#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    #[value(alias = "ministry_analyst")]
    MinistryAnalyst,
    #[value(alias = "association_admin")]
    AssociationAdmin,
    #[value(alias = "company_admin")]
    CompanyAdmin,
    #[value(alias = "company_member")]
    CompanyMember,
}

impl RoleArg {
    pub fn role(self) -> kojo_core::org::Role {
        use kojo_core::org::Role;
        match self {
            RoleArg::Admin => Role::Admin,
            RoleArg::MinistryAnalyst => Role::MinistryAnalyst,
            RoleArg::AssociationAdmin => Role::AssociationAdmin,
            RoleArg::CompanyAdmin => Role::CompanyAdmin,
            RoleArg::CompanyMember => Role::CompanyMember,
        }
    }
}

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Create an organisation
    Add(OrgAddArgs),
    /// List organisations
    List {
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct OrgAddArgs {
    /// The organisation's name
    pub name: String,
    #[arg(long, value_enum)]
    pub kind: KindArg,
    /// English name
    #[arg(long)]
    pub name_en: Option<String>,
    /// 法人番号 (13 digits)
    #[arg(long)]
    pub corporate_number: Option<String>,
    /// Industry: 日本標準産業分類 中分類 code (09-32, 99 = other)
    #[arg(long)]
    pub industry: Option<String>,
    /// Prefecture code (01-47)
    #[arg(long)]
    pub prefecture: Option<String>,
    /// Number of employees
    #[arg(long)]
    pub employees: Option<i64>,
    /// The association takes part in SC3 (サプライチェーン・サイバーセキュリティ・コンソーシアム)
    #[arg(long)]
    pub sc3: bool,
    /// Make the company a member of this association (id or name); may be repeated
    #[arg(long = "member-of")]
    pub member_of: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    Ministry,
    Association,
    Company,
}

impl KindArg {
    pub fn kind(self) -> kojo_core::org::OrgKind {
        use kojo_core::org::OrgKind;
        match self {
            KindArg::Ministry => OrgKind::Ministry,
            KindArg::Association => OrgKind::Association,
            KindArg::Company => OrgKind::Company,
        }
    }
}
