//! The command-line frontend.
//!
//! `belysa check [PATH…]` checks documents; `belysa rules list|explain|test|check` shows and
//! tests rules; `belysa lsp` runs the language server. Exit status: 0 when nothing at or above `--fail-on` was found, 1 when something
//! was, 2 for usage, input or rule-file errors.

mod check;
mod output;
pub mod render;
mod rules_cmd;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Arg, ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::config::FailOn;
use crate::diagnostics::Severity;
use crate::document::DocKind;

/// Everything went well and nothing at or above `--fail-on` was found.
pub const EXIT_OK: u8 = 0;
/// Something at or above `--fail-on` was found, or a rule example failed.
pub const EXIT_FINDINGS: u8 = 1;
/// A usage, input or rule-file error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "belysa",
    version,
    about = "Granskar offentliga beslutsdokument: normkritiskt språk, klarspråk och formkrav.",
    next_help_heading = "Flaggor"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(
        about = "Granska dokument (.txt och .md; mappar gås igenom rekursivt)",
        next_help_heading = "Flaggor"
    )]
    Check(CheckArgs),
    #[command(
        subcommand,
        about = "Visa, förklara och testa regler",
        subcommand_help_heading = "Kommandon",
        subcommand_value_name = "KOMMANDO"
    )]
    Rules(RulesCommand),
    #[command(about = "Starta språkservern (LSP) på standard in och ut, för editorer")]
    Lsp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    #[value(help = "läsbar text med markeringar i dokumentet")]
    Human,
    #[value(help = "JSON för andra program (se docs/json-format.md)")]
    Json,
    #[value(help = "SARIF 2.1.0 för kodgranskningsverktyg och CI-system")]
    Sarif,
    #[value(help = "en fristående HTML-rapport att läsa, skicka vidare och skriva ut (använd med -o)")]
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    #[value(help = "avgör dokumenttypen utifrån innehållet")]
    Auto,
    #[value(help = "tjänsteutlåtande")]
    Tjansteutlatande,
    #[value(help = "budgetdokument")]
    Budget,
    #[value(help = "övriga dokument")]
    Other,
}

impl KindArg {
    pub fn kind(self) -> Option<DocKind> {
        match self {
            KindArg::Auto => None,
            KindArg::Tjansteutlatande => Some(DocKind::Tjansteutlatande),
            KindArg::Budget => Some(DocKind::Budget),
            KindArg::Other => Some(DocKind::Other),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    #[value(help = "misslyckas vid fel")]
    Error,
    #[value(help = "misslyckas vid varningar och fel")]
    Warning,
    #[value(help = "misslyckas vid info, varningar och fel")]
    Info,
    #[value(help = "misslyckas vid allt som rapporteras")]
    Hint,
    #[value(help = "misslyckas aldrig på grund av anmärkningar")]
    Never,
}

impl FailOnArg {
    pub fn fail_on(self) -> FailOn {
        match self {
            FailOnArg::Error => FailOn::At(Severity::Error),
            FailOnArg::Warning => FailOn::At(Severity::Warning),
            FailOnArg::Info => FailOn::At(Severity::Info),
            FailOnArg::Hint => FailOn::At(Severity::Hint),
            FailOnArg::Never => FailOn::Never,
        }
    }
}

/// Where rules and settings come from; shared by `check` and the `rules` commands.
#[derive(Debug, Clone, Args)]
pub struct RuleArgs {
    #[arg(
        long = "rules",
        value_name = "SÖKVÄG",
        help = "Läs in fler regler: en .belysa-fil eller en mapp med sådana (kan upprepas)"
    )]
    pub rules: Vec<PathBuf>,
    #[arg(long, help = "Använd inte de inbyggda regelpaketen")]
    pub no_default_rules: bool,
    #[arg(
        long,
        value_name = "FIL",
        conflicts_with = "no_config",
        help = "Använd den här konfigurationsfilen i stället för närmaste belysa.toml"
    )]
    pub config: Option<PathBuf>,
    #[arg(long, help = "Läs ingen belysa.toml")]
    pub no_config: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[arg(
        value_name = "SÖKVÄG",
        help_heading = "Argument",
        help = "Filer eller mappar att granska; - läser från standard in (standard: aktuell mapp)"
    )]
    pub paths: Vec<PathBuf>,
    #[arg(
        long,
        value_enum,
        default_value = "human",
        value_name = "FORMAT",
        help = "Utdataformat"
    )]
    pub format: OutputFormat,
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FIL",
        help = "Skriv resultatet till den här filen i stället för till standard ut (aldrig över en fil som granskas)"
    )]
    pub output: Option<PathBuf>,
    #[arg(
        long,
        value_enum,
        default_value = "auto",
        value_name = "TYP",
        help = "Dokumenttyp, som avgör vilka regler som gäller"
    )]
    pub kind: KindArg,
    #[command(flatten)]
    pub rule_args: RuleArgs,
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "PAKET[/REGEL],…",
        help = "Kör bara dessa paket eller regler, även sådana som är avstängda som standard"
    )]
    pub select: Vec<String>,
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "PAKET[/REGEL],…",
        help = "Hoppa över dessa paket eller regler"
    )]
    pub ignore: Vec<String>,
    #[arg(
        long,
        value_name = "PROFIL",
        help = "Organisationens profil för rubriker och struktur, t.ex. malmo eller stockholm-stad [standard: generic, eller profile i belysa.toml]"
    )]
    pub profile: Option<String>,
    #[arg(
        long,
        value_enum,
        value_name = "NIVÅ",
        help = "Lägsta allvarlighetsgrad som ger slutstatus 1 [standard: error, eller fail-on i belysa.toml]"
    )]
    pub fail_on: Option<FailOnArg>,
    #[arg(
        short = 'j',
        long,
        value_name = "ANTAL",
        value_parser = clap::value_parser!(u16).range(1..),
        help = "Antal trådar som granskar filer samtidigt [standard: en per processorkärna]"
    )]
    pub jobs: Option<u16>,
    #[arg(
        long,
        conflicts_with = "diff",
        help = "Rätta det som säkert kan rättas automatiskt och skriv tillbaka filerna (bara .md och .txt i UTF-8)"
    )]
    pub fix: bool,
    #[arg(long, help = "Visa vad --fix skulle ändra, som en unified diff; skriver ingenting")]
    pub diff: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    #[value(help = "en rad per regel")]
    Text,
    #[value(help = "JSON för andra program")]
    Json,
    #[value(help = "Markdown-tabeller, t.ex. för dokumentation")]
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    #[command(about = "Lista alla regler", next_help_heading = "Flaggor")]
    List {
        #[arg(
            long,
            value_enum,
            default_value = "text",
            value_name = "FORMAT",
            help = "Utdataformat"
        )]
        format: ListFormat,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    #[command(about = "Förklara en regel eller ett regelpaket", next_help_heading = "Flaggor")]
    Explain {
        #[arg(
            value_name = "ID",
            help_heading = "Argument",
            required_unless_present = "analyzers",
            help = "Regelns id (PAKET/REGEL) eller ett paketnamn"
        )]
        id: Option<String>,
        #[arg(long, help = "Lista de inbyggda analyserna och deras parametrar")]
        analyzers: bool,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    #[command(
        about = "Kör reglernas exempel (example pass/fail) som tester",
        next_help_heading = "Flaggor"
    )]
    Test {
        #[arg(
            value_name = "SÖKVÄG",
            help_heading = "Argument",
            help = "Regelfiler eller mappar att testa (standard: de inlästa reglerna)"
        )]
        paths: Vec<PathBuf>,
        #[arg(long = "rule", value_name = "ID", help = "Testa bara den här regeln")]
        rule: Option<String>,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    #[command(
        about = "Kontrollera att en regelfil går att läsa in, och visa felen",
        next_help_heading = "Flaggor"
    )]
    Check {
        #[arg(value_name = "FIL", help_heading = "Argument", help = "Regelfilen (.belysa)")]
        file: PathBuf,
    },
}

/// Swedish help texts and headings for clap's own parts, on every (sub)command.
fn localize(cmd: clap::Command) -> clap::Command {
    let cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .help_template("{about-with-newline}\nAnvändning: {usage}\n\n{all-args}{after-help}")
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Visa den här hjälpen")
                .help_heading("Flaggor"),
        )
        .mut_subcommands(localize);
    if cmd.get_name() == "belysa" {
        cmd.disable_version_flag(true)
            .subcommand_help_heading("Kommandon")
            .subcommand_value_name("KOMMANDO")
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help("Visa versionen")
                    .help_heading("Flaggor"),
            )
    } else {
        cmd
    }
}

/// Puts the English words of clap's help texts into Swedish.
fn localize_help(text: &str) -> String {
    text.replace("[OPTIONS]", "[FLAGGOR]")
        .replace("Possible values:", "Möjliga värden:")
        .replace("[possible values:", "[möjliga värden:")
        .replace("[default: ", "[standard: ")
}

/// Puts clap's English error words into Swedish.
fn localize_error(text: &str) -> String {
    let text = localize_help(text).replacen("error:", "fel:", 1);
    text.replace("tip:", "tips:")
        .replace("For more information, try", "Mer information får du med")
        .replace("Usage:", "Användning:")
        .replace("unexpected argument", "okänt argument")
        .replace("invalid value", "ogiltigt värde")
        .replace(" for '", " för '")
        .replace(
            "the following required arguments were not provided:",
            "följande argument saknas:",
        )
        .replace("cannot be used with", "kan inte användas tillsammans med")
        .replace("unrecognized subcommand", "okänt kommando")
        .replace("a value is required for", "ett värde krävs för")
        .replace("but none was supplied", "men inget angavs")
        .replace("to pass", "för att ange")
        .replace("as a value, use", "som värde, skriv")
        .replace("a similar argument exists:", "det finns ett liknande argument:")
        .replace("a similar subcommand exists:", "det finns ett liknande kommando:")
        .replace("some similar subcommands exist:", "det finns liknande kommandon:")
        .replace("the argument '", "argumentet '")
        .replace("' found", "'")
}

/// Runs the command line and returns the exit status.
pub fn main() -> ExitCode {
    quiet_caught_panics();
    ExitCode::from(run(std::env::args_os()))
}

/// pdf-extract panics on some damaged files; the PDF reader catches the panic and reports the
/// file as unreadable, naming it. Rust's usual hook would first print the panic's message ("thread
/// … panicked at …/pdf-extract/…"), which tells a registrar nothing but alarm; every other panic
/// is printed as usual.
fn quiet_caught_panics() {
    let usual = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !crate::ingest::pdf::extracting() {
            usual(info);
        }
    }));
}

/// Runs with the given arguments (the first is the program name) and returns the exit status.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = localize(Cli::command()).try_get_matches_from(args);
    let cli = matches.and_then(|m| Cli::from_arg_matches(&m));
    let cli = match cli {
        Ok(cli) => cli,
        Err(err) => {
            let use_stderr = err.use_stderr();
            let color = if use_stderr {
                color_for(&std::io::stderr())
            } else {
                color_for(&std::io::stdout())
            };
            let rendered = err.render();
            let text = if color {
                rendered.ansi().to_string()
            } else {
                rendered.to_string()
            };
            let mut text = match err.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayVersion
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => localize_help(&text),
                _ => localize_error(&text),
            };
            if !text.ends_with('\n') {
                text.push('\n');
            }
            if use_stderr {
                write_stderr(&text);
            } else {
                write_stdout(&text);
            }
            return u8::try_from(err.exit_code()).unwrap_or(EXIT_ERROR);
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Rules(cmd) => rules_cmd::run(cmd),
        Command::Lsp => crate::lsp::run(),
    }
}

/// Colour on a terminal or when `CLICOLOR_FORCE` is set (and not "0"), never when `NO_COLOR` is
/// set to something.
pub fn color_for(stream: &impl IsTerminal) -> bool {
    let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty() && v != "0");
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color && (set("CLICOLOR_FORCE") || stream.is_terminal())
}

/// The width human output is wrapped to: `COLUMNS` when set, else 100.
pub fn output_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(100)
}

/// Writes to standard output; a closed pipe is not an error worth reporting.
pub(crate) fn write_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

pub(crate) fn write_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_definition_is_valid() {
        localize(Cli::command()).debug_assert();
    }
}
