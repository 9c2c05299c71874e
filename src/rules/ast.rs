//! The syntax tree of a rule file. Every node carries the byte span it came from, so that the
//! compiler can point at the exact place of a mistake.

use crate::document::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

pub type Text = Spanned<String>;

#[derive(Debug, Clone, PartialEq)]
pub struct FileAst {
    pub pack: PackAst,
    pub rules: Vec<RuleAst>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PackAst {
    pub name: Text,
    /// (key, value): title, description, version.
    pub fields: Vec<(Text, Text)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleAst {
    pub name: Text,
    pub items: Vec<Spanned<Item>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Severity(Text),
    Default(Text),
    /// `message`, `help` or `incomplete`.
    Text {
        key: Text,
        value: Text,
    },
    Source {
        title: Text,
        url: Option<Text>,
    },
    Kinds(Vec<Text>),
    /// `profiles generic, malmo`: the body profiles the rule belongs to.
    Profiles(Vec<Text>),
    Scope(Text),
    Example {
        which: Text,
        text: Text,
    },
    /// `pattern`, `except`, `unless`, `when`, `require`, `forbid`, `inside`, `heading`,
    /// `paragraph`, `mentions`.
    List {
        key: Text,
        values: Vec<Text>,
    },
    Within {
        count: Spanned<f64>,
        unit: Text,
    },
    MinWords(Spanned<f64>),
    Section(Vec<Spanned<Item>>),
    Terms(Vec<EntryAst>),
    Analyzer {
        name: Text,
        params: Vec<ParamAst>,
    },
}

impl Item {
    /// The keyword that introduces the item, as written.
    pub fn keyword(&self) -> &str {
        match self {
            Item::Severity(_) => "severity",
            Item::Default(_) => "default",
            Item::Text { key, .. } | Item::List { key, .. } => &key.value,
            Item::Source { .. } => "source",
            Item::Kinds(_) => "kinds",
            Item::Profiles(_) => "profiles",
            Item::Scope(_) => "scope",
            Item::Example { .. } => "example",
            Item::Within { .. } => "within",
            Item::MinWords(_) => "min-words",
            Item::Section(_) => "require section",
            Item::Terms(_) => "terms",
            Item::Analyzer { .. } => "analyzer",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntryAst {
    pub words: Vec<Text>,
    pub suggestions: Vec<Text>,
    pub options: Vec<Spanned<EntryOption>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EntryOption {
    /// `compounds`, `exact`, `match-case`, `manual`.
    Flag(String),
    Because(Text),
    Except(Vec<Text>),
    Forms(Vec<Text>),
    Severity(Text),
    Source {
        title: Text,
        url: Option<Text>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParamAst {
    pub name: Text,
    pub value: Spanned<ParamValueAst>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamValueAst {
    Flag,
    Number(f64),
    List(Vec<Text>),
    Word(String),
}
