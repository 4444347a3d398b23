//! The plant model's forms: what was typed (a form body read as name → values), each form built
//! as fields with their labels, options, typed values and the error next to the one at fault,
//! so one template renders every form.

use kojo_core::Text;
use kojo_core::ids::{AssetId, ConduitId, ProcessId, ZoneId};
use kojo_core::plant::catalog::{Label, Labels};
use kojo_core::plant::model::{
    Asset, AssetStatus, Conduit, Flow, Importance, Plant, Process, Zone,
};
use kojo_service::plant::{NAME_MAX, TEXT_MAX};

use super::Kind;
use crate::Ctx;

/// A form body: every (name, value) pair in order, so repeated names (checkboxes) keep all
/// their values and what was typed can be shown again.
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        Fields(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A ticked checkbox.
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), "on" | "true" | "1" | "yes")
    }

    /// An id chosen in a select (empty or not a number: none).
    pub fn id<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.get(name).trim().parse().ok()
    }

    /// The ids ticked or chosen under `name`.
    pub fn ids<T: std::str::FromStr>(&self, name: &str) -> Vec<T> {
        self.all(name)
            .iter()
            .filter_map(|v| v.trim().parse().ok())
            .collect()
    }

    fn push(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_string(), value.into()));
    }

    fn flags(&mut self, flags: &[(&str, bool)]) {
        for (name, on) in flags {
            if *on {
                self.push(name, "on");
            }
        }
    }

    fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }
}

/// A stored record as its form's fields (to edit it).
pub fn fields_of(plant: &Plant, kind: Kind, id: i64) -> Option<Fields> {
    let mut f = Fields::default();
    match kind {
        Kind::Process => process_fields(&mut f, plant.process(ProcessId::new(id))?),
        Kind::Zone => zone_fields(&mut f, plant.zone(ZoneId::new(id))?),
        Kind::Conduit => conduit_fields(&mut f, plant.conduit(ConduitId::new(id))?),
        Kind::Asset => asset_fields(&mut f, plant.asset(AssetId::new(id))?),
        Kind::Flow => flow_fields(&mut f, plant.flows.iter().find(|x| x.id.get() == id)?),
    }
    Some(f)
}

fn process_fields(f: &mut Fields, p: &Process) {
    f.push("name", &p.name);
    f.push("importance", p.importance.as_str());
    for d in &p.damages {
        f.push("damages", d.as_str());
    }
    f.push("impact", &p.impact);
}

fn zone_fields(f: &mut Fields, z: &Zone) {
    f.push("name", &z.name);
    f.push("purpose", z.purpose.as_str());
    f.push("exposure", z.exposure.as_str());
    f.push("sl_target", z.sl_target.to_string());
    f.push("importance", z.importance.map_or("", Importance::as_str));
    for p in &z.processes {
        f.push("processes", p.to_string());
    }
}

fn conduit_fields(f: &mut Fields, c: &Conduit) {
    f.push("name", &c.name);
    f.push("a", c.a.to_string());
    f.push("b", c.b.to_string());
    f.push("kind", c.kind.as_str());
    f.push("direction", c.direction.as_str());
    f.push("protocols", c.protocols.join(", "));
    f.push("operator", &c.operator);
    f.flags(&[("encrypted", c.encrypted), ("always_on", c.always_on)]);
}

fn asset_fields(f: &mut Fields, a: &Asset) {
    let date = |d: Option<kojo_core::date::Date>| d.map(|d| d.iso()).unwrap_or_default();
    for (name, value) in [
        ("name", a.name.clone()),
        ("kind", a.kind.as_str().to_string()),
        ("zone", a.zone.map(|z| z.to_string()).unwrap_or_default()),
        ("status", a.status.as_str().to_string()),
        ("tag", a.tag.clone()),
        ("vendor", a.vendor.clone()),
        ("product", a.product.clone()),
        ("model", a.model.clone()),
        ("order_number", a.order_number.clone()),
        ("version", a.version.clone()),
        ("serial", a.serial.clone()),
        ("os", a.os.clone()),
        ("os_support_end", date(a.os_support_end)),
        ("ip", a.ip.clone()),
        ("mac", a.mac.clone()),
        ("location", a.location.clone()),
        ("owner", a.owner.clone()),
        ("maintenance_end", date(a.maintenance_end)),
    ] {
        f.push(name, value);
    }
    for z in &a.also_in {
        f.push("also_in", z.to_string());
    }
    for p in &a.processes {
        f.push("processes", p.to_string());
    }
    f.flags(&[
        ("remote_maintenance", a.remote_maintenance),
        ("black_box", a.black_box),
        ("cloud_link", a.cloud_link),
        ("temporary", a.temporary),
        ("wireless", a.wireless),
        ("safety", a.safety),
    ]);
}

fn flow_fields(f: &mut Fields, x: &Flow) {
    f.push("from", x.from.to_string());
    f.push("to", x.to.to_string());
    f.push("data", &x.data);
    f.push("protocol", &x.protocol);
    f.push(
        "conduit",
        x.conduit.map(|c| c.to_string()).unwrap_or_default(),
    );
}

/// An error to show with a form: next to `field` when it names one of the form's fields.
#[derive(Debug, Clone)]
pub struct FormError {
    pub field: Option<&'static str>,
    pub message: String,
}

pub struct OptionView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One field of a form. `kind` is `text`, `textarea`, `select`, `checks` (a group of
/// checkboxes sharing the name) or `check` (one checkbox).
pub struct FieldView {
    pub name: &'static str,
    pub id: String,
    pub label: String,
    pub help: String,
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<OptionView>,
    pub checked: bool,
    pub required: bool,
    pub max: usize,
    pub placeholder: &'static str,
    pub error: Option<String>,
}

/// A group of fields (a fieldset); a folded group sits in a `<details>`.
pub struct Group {
    pub legend: String,
    pub fields: Vec<FieldView>,
    pub folded: bool,
    /// A folded group opens when one of its fields has an error or a value.
    pub open: bool,
}

pub struct FormView {
    pub id: String,
    pub action: String,
    pub submit: String,
    pub groups: Vec<Group>,
    /// An error not about one field.
    pub error: Option<String>,
    /// The form has an error (an add form is shown unfolded).
    pub failed: bool,
}

/// Builds a form's fields from what was typed.
struct Builder<'a> {
    form: String,
    typed: &'a Fields,
    error: Option<&'a FormError>,
}

impl<'a> Builder<'a> {
    fn field(&self, name: &'static str, label: &str, kind: &'static str) -> FieldView {
        FieldView {
            name,
            id: format!("{}-{}", self.form, name.replace('_', "-")),
            label: label.to_string(),
            help: String::new(),
            kind,
            value: self.typed.get(name).to_string(),
            options: vec![],
            checked: self.typed.flag(name),
            required: false,
            max: NAME_MAX,
            placeholder: "",
            error: self
                .error
                .filter(|e| e.field == Some(name))
                .map(|e| e.message.clone()),
        }
    }

    fn text(&self, name: &'static str, label: &str) -> FieldView {
        self.field(name, label, "text")
    }

    fn required(&self, name: &'static str, label: &str) -> FieldView {
        FieldView {
            required: true,
            ..self.text(name, label)
        }
    }

    fn date(&self, name: &'static str, label: &str) -> FieldView {
        FieldView {
            placeholder: "2027-03-31",
            max: 10,
            ..self.text(name, label)
        }
    }

    fn textarea(&self, name: &'static str, label: &str) -> FieldView {
        FieldView {
            max: TEXT_MAX,
            ..self.field(name, label, "textarea")
        }
    }

    fn check(&self, name: &'static str, label: &str) -> FieldView {
        self.field(name, label, "check")
    }

    /// A select of `options` (value, label); `empty` adds a first option with no value.
    fn select(
        &self,
        name: &'static str,
        label: &str,
        options: Vec<(String, String)>,
        empty: Option<&str>,
    ) -> FieldView {
        let current = self.typed.get(name);
        let mut list: Vec<OptionView> = empty
            .map(|e| OptionView {
                value: String::new(),
                label: e.to_string(),
                selected: current.is_empty(),
            })
            .into_iter()
            .collect();
        list.extend(options.into_iter().map(|(value, label)| OptionView {
            selected: value == current,
            value,
            label,
        }));
        FieldView {
            options: list,
            ..self.field(name, label, "select")
        }
    }

    /// Checkboxes sharing `name`, one per option.
    fn checks(&self, name: &'static str, label: &str, options: Vec<(String, String)>) -> FieldView {
        FieldView {
            options: options
                .into_iter()
                .map(|(value, label)| OptionView {
                    selected: self.typed.has(name, &value),
                    value,
                    label,
                })
                .collect(),
            ..self.field(name, label, "checks")
        }
    }

    fn group(&self, legend: &str, fields: Vec<FieldView>) -> Group {
        Group {
            legend: legend.to_string(),
            fields,
            folded: false,
            open: true,
        }
    }

    fn folded(&self, legend: &str, fields: Vec<FieldView>) -> Group {
        // Selects always hold a value; only what was typed or ticked opens the group.
        let open = fields.iter().any(|f| {
            f.error.is_some()
                || f.checked
                || (f.kind != "select" && !f.value.trim().is_empty())
                || (f.kind == "checks" && f.options.iter().any(|o| o.selected))
        });
        Group {
            legend: legend.to_string(),
            fields,
            folded: true,
            open,
        }
    }

    fn form(self, action: String, submit: &str, groups: Vec<Group>) -> FormView {
        let shown: Vec<&str> = groups
            .iter()
            .flat_map(|g| g.fields.iter().map(|f| f.name))
            .collect();
        // An error about a field this form does not show is shown above the form.
        let general = self
            .error
            .filter(|e| e.field.is_none_or(|f| !shown.contains(&f)))
            .map(|e| e.message.clone());
        FormView {
            id: self.form,
            action,
            submit: submit.to_string(),
            groups,
            failed: self.error.is_some(),
            error: general,
        }
    }
}

/// The options of a list of labels, in their content order.
fn labelled(ctx: &Ctx, labels: &[Label]) -> Vec<(String, String)> {
    labels
        .iter()
        .map(|l| (l.code.clone(), l.label.get(ctx.locale).to_string()))
        .collect()
}

/// Zones, processes, assets or conduits as select options (id, name).
fn named<I: std::fmt::Display>(items: impl Iterator<Item = (I, String)>) -> Vec<(String, String)> {
    items.map(|(id, name)| (id.to_string(), name)).collect()
}

/// What a form needs besides what was typed.
pub struct FormInput<'a> {
    pub ctx: &'a Ctx,
    pub labels: &'a Labels,
    pub plant: &'a Plant,
    pub site: kojo_core::ids::SiteId,
    /// The record edited; None for an add form.
    pub id: Option<i64>,
    pub typed: &'a Fields,
    pub error: Option<&'a FormError>,
}

impl FormInput<'_> {
    fn builder(&self, kind: Kind) -> Builder<'_> {
        let form = match self.id {
            Some(id) => format!("{}-{id}", kind.as_str()),
            None => format!("new-{}", kind.as_str()),
        };
        Builder {
            form,
            typed: self.typed,
            error: self.error,
        }
    }

    fn action(&self, kind: Kind) -> String {
        match self.id {
            Some(id) => format!("/sites/{}/plant/{}/{id}", self.site, kind.segment()),
            None => format!("/sites/{}/plant/{}", self.site, kind.segment()),
        }
    }

    fn submit(&self, kind: Kind) -> String {
        let t = self.ctx.t;
        match self.id {
            Some(_) => t.plant_save.to_string(),
            None => kind.add_label(t).to_string(),
        }
    }

    fn zones(&self) -> Vec<(String, String)> {
        named(self.plant.zones.iter().map(|z| (z.id, z.name.clone())))
    }

    fn processes(&self) -> Vec<(String, String)> {
        named(self.plant.processes.iter().map(|p| (p.id, p.name.clone())))
    }

    /// The form of `kind`.
    pub fn form(&self, kind: Kind) -> FormView {
        match kind {
            Kind::Process => self.process(),
            Kind::Zone => self.zone(),
            Kind::Conduit => self.conduit(),
            Kind::Asset => self.asset(),
            Kind::Flow => self.flow(),
        }
    }

    fn process(&self) -> FormView {
        let (t, l, b) = (self.ctx.t, self.labels, self.builder(Kind::Process));
        let fields = vec![
            b.required("name", t.plant_f_process_name),
            b.select(
                "importance",
                t.plant_f_process_importance,
                described(self.ctx, &l.importance),
                None,
            ),
            b.checks("damages", t.plant_f_damages, labelled(self.ctx, &l.damages)),
            b.textarea("impact", t.plant_f_impact),
        ];
        let groups = vec![b.group(t.plant_processes, fields)];
        b.form(
            self.action(Kind::Process),
            &self.submit(Kind::Process),
            groups,
        )
    }

    fn zone(&self) -> FormView {
        let (t, l, b) = (self.ctx.t, self.labels, self.builder(Kind::Zone));
        let levels = (1..=4)
            .map(|v| (v.to_string(), format!("SL-T {v}")))
            .collect();
        let mut sl = b.select("sl_target", t.plant_f_sl_target, levels, None);
        sl.help = t.plant_f_sl_target_help.to_string();
        if sl.value.is_empty() {
            select_value(&mut sl, "2");
        }
        let mut importance = b.select(
            "importance",
            t.plant_f_zone_importance,
            labelled(self.ctx, &l.importance),
            Some(t.plant_auto),
        );
        importance.help = t.plant_f_zone_importance_help.to_string();
        let fields = vec![
            b.required("name", t.plant_f_zone_name),
            b.select(
                "purpose",
                t.plant_f_purpose,
                labelled(self.ctx, &l.zone_purposes),
                None,
            ),
            b.select(
                "exposure",
                t.plant_f_exposure,
                labelled(self.ctx, &l.exposures),
                None,
            ),
            sl,
            importance,
            b.checks("processes", t.plant_f_zone_processes, self.processes()),
        ];
        let groups = vec![b.group(t.plant_zones, fields)];
        b.form(self.action(Kind::Zone), &self.submit(Kind::Zone), groups)
    }

    fn conduit(&self) -> FormView {
        let (t, l, b) = (self.ctx.t, self.labels, self.builder(Kind::Conduit));
        let choose = Some(t.plant_choose);
        let fields = vec![
            b.text("name", t.plant_f_conduit_name),
            b.select("a", t.plant_f_a, self.zones(), choose),
            b.select("b", t.plant_f_b, self.zones(), choose),
            b.select(
                "kind",
                t.plant_f_conduit_kind,
                labelled(self.ctx, &l.conduit_kinds),
                None,
            ),
            b.select(
                "direction",
                t.plant_f_direction,
                labelled(self.ctx, &l.directions),
                None,
            ),
            b.text("protocols", t.plant_f_protocols),
            b.check("encrypted", t.plant_f_encrypted),
            b.check("always_on", t.plant_f_always_on),
            b.text("operator", t.plant_f_operator),
        ];
        let groups = vec![b.group(t.plant_conduits, fields)];
        b.form(
            self.action(Kind::Conduit),
            &self.submit(Kind::Conduit),
            groups,
        )
    }

    fn asset(&self) -> FormView {
        let (t, l, b) = (self.ctx.t, self.labels, self.builder(Kind::Asset));
        let mut status = b.select(
            "status",
            t.plant_f_status,
            labelled(self.ctx, &l.asset_statuses),
            None,
        );
        if status.value.is_empty() {
            select_value(&mut status, AssetStatus::Active.as_str());
        }
        let basic = vec![
            b.required("name", t.plant_f_asset_name),
            b.select(
                "kind",
                t.plant_f_asset_kind,
                labelled(self.ctx, &l.asset_kinds),
                None,
            ),
            b.select(
                "zone",
                t.plant_f_zone,
                self.zones(),
                Some(t.plant_none_option),
            ),
            b.checks("processes", t.plant_f_asset_processes, self.processes()),
            b.text("owner", t.plant_f_owner),
            b.text("version", t.plant_f_version),
        ];
        let traits = vec![
            b.check("remote_maintenance", t.plant_f_remote_maintenance),
            b.check("black_box", t.plant_f_black_box),
            b.check("cloud_link", t.plant_f_cloud_link),
            b.check("temporary", t.plant_f_temporary),
            b.check("wireless", t.plant_f_wireless),
            b.check("safety", t.plant_f_safety),
        ];
        let more = vec![
            status,
            b.checks("also_in", t.plant_f_also_in, self.zones()),
            b.text("tag", t.plant_f_tag),
            b.text("vendor", t.plant_f_vendor),
            b.text("product", t.plant_f_product),
            b.text("model", t.plant_f_model),
            b.text("order_number", t.plant_f_order_number),
            b.text("serial", t.plant_f_serial),
            b.text("os", t.plant_f_os),
            b.date("os_support_end", t.plant_f_os_support_end),
            b.text("ip", t.plant_f_ip),
            b.text("mac", t.plant_f_mac),
            b.text("location", t.plant_f_location),
            b.date("maintenance_end", t.plant_f_maintenance_end),
        ];
        let groups = vec![
            b.group(t.plant_fs_basic, basic),
            b.group(t.plant_fs_traits, traits),
            b.folded(t.plant_more_fields, more),
        ];
        b.form(self.action(Kind::Asset), &self.submit(Kind::Asset), groups)
    }

    fn flow(&self) -> FormView {
        let (t, b) = (self.ctx.t, self.builder(Kind::Flow));
        let choose = Some(t.plant_choose);
        let assets = named(self.plant.assets.iter().map(|a| (a.id, a.name.clone())));
        let conduits = named(self.plant.conduits.iter().map(|c| {
            let name = conduit_name(self.plant, c, self.labels, self.ctx);
            (c.id, name)
        }));
        let fields = vec![
            b.select("from", t.plant_f_from, assets.clone(), choose),
            b.select("to", t.plant_f_to, assets, choose),
            b.text("data", t.plant_f_data),
            b.text("protocol", t.plant_f_protocol),
            b.select(
                "conduit",
                t.plant_f_conduit,
                conduits,
                Some(t.plant_none_option),
            ),
        ];
        let groups = vec![b.group(t.plant_flows, fields)];
        b.form(self.action(Kind::Flow), &self.submit(Kind::Flow), groups)
    }
}

/// Selects `value` in a select that has no value yet.
fn select_value(field: &mut FieldView, value: &str) {
    field.value = value.to_string();
    for o in &mut field.options {
        o.selected = o.value == value;
    }
}

/// Options with their description after the label ("3（高）: 人の安全…").
fn described(ctx: &Ctx, labels: &[Label]) -> Vec<(String, String)> {
    labels
        .iter()
        .map(|l| {
            let label = l.label.get(ctx.locale);
            let text = match &l.description {
                Some(d) => format!("{label} — {}", d.get(ctx.locale)),
                None => label.to_string(),
            };
            (l.code.clone(), text)
        })
        .collect()
}

/// A conduit as people name it: its own name, or "A ↔ B" when it has none.
pub fn conduit_name(plant: &Plant, c: &Conduit, labels: &Labels, ctx: &Ctx) -> String {
    if !c.name.trim().is_empty() {
        return c.name.clone();
    }
    let zone = |z: ZoneId| plant.zone(z).map_or(String::new(), |z| z.name.clone());
    let kind = label(&labels.conduit_kinds, c.kind.as_str(), ctx);
    format!("{} ↔ {} ({kind})", zone(c.a), zone(c.b))
}

/// The label of `code` in `list`, in the reader's language (the code if content has none).
pub fn label(list: &[Label], code: &str, ctx: &Ctx) -> String {
    Labels::find(list, code).map_or_else(
        || code.to_string(),
        |t: &Text| t.get(ctx.locale).to_string(),
    )
}

/// The step-1 worksheet: three rows of (damage, work, importance, impact), the ways in and the
/// two questions on protection.
pub fn worksheet(
    ctx: &Ctx,
    labels: &Labels,
    site: kojo_core::ids::SiteId,
    typed: &Fields,
    error: Option<&FormError>,
) -> FormView {
    use kojo_core::plant::worksheet::{Answer, WayIn};
    use kojo_service::plant::WORKSHEET_FIELDS;
    let t = ctx.t;
    let b = Builder {
        form: "worksheet".into(),
        typed,
        error,
    };
    let mut groups: Vec<Group> = WORKSHEET_FIELDS
        .iter()
        .enumerate()
        .map(|(i, names)| worksheet_row(&b, ctx, labels, i, *names))
        .collect();
    let ways = WayIn::ALL
        .iter()
        .map(|w| (w.as_str().to_string(), way_label(t, *w).to_string()))
        .collect();
    let answers: Vec<(String, String)> = Answer::ALL
        .iter()
        .map(|a| {
            let text = match a {
                Answer::Yes => t.plant_yes,
                Answer::No => t.plant_no,
                Answer::Unknown => t.plant_unknown,
            };
            (a.as_str().to_string(), text.to_string())
        })
        .collect();
    let radios = |name: &'static str, label: &str| {
        let mut f = b.select(name, label, answers.clone(), None);
        f.kind = "radios";
        if f.value.is_empty() {
            select_value(&mut f, Answer::Unknown.as_str());
        }
        f
    };
    groups.push(b.group(
        t.plant_ws_q2,
        vec![b.checks("ways_in", t.plant_ws_ways_in, ways)],
    ));
    groups.push(b.group(
        t.plant_ws_q3,
        vec![
            radios("boundary_firewall", t.plant_ws_boundary_firewall),
            radios("remote_on_request", t.plant_ws_remote_on_request),
        ],
    ));
    b.form(
        format!("/sites/{site}/plant/start"),
        t.plant_ws_submit,
        groups,
    )
}

/// Row `i` (0-based) of the worksheet's first question: damage, work, importance, impact.
fn worksheet_row(
    b: &Builder,
    ctx: &Ctx,
    labels: &Labels,
    i: usize,
    [process, damage, importance, impact]: [&'static str; 4],
) -> Group {
    let t = ctx.t;
    let n = i + 1;
    let defaults = [("production", "3"), ("delivery", "2"), ("quality", "2")];
    let (d, l) = defaults.get(i).copied().unwrap_or(("quality", "2"));
    let mut damage = b.select(
        damage,
        &ctx.fill(t.plant_ws_row_damage, "n", n),
        labelled(ctx, &labels.damages),
        None,
    );
    let mut level = b.select(
        importance,
        &ctx.fill(t.plant_ws_row_importance, "n", n),
        labelled(ctx, &labels.importance),
        None,
    );
    if damage.value.is_empty() {
        select_value(&mut damage, d);
    }
    if level.value.is_empty() {
        select_value(&mut level, l);
    }
    let mut process = b.text(process, &ctx.fill(t.plant_ws_row_process, "n", n));
    process.required = i == 0;
    let fields = vec![
        damage,
        process,
        level,
        b.text(impact, &ctx.fill(t.plant_ws_row_impact, "n", n)),
    ];
    b.group(&ctx.fill(t.plant_ws_row, "n", n), fields)
}

fn way_label(t: &'static kojo_i18n::Msg, w: kojo_core::plant::worksheet::WayIn) -> &'static str {
    use kojo_core::plant::worksheet::WayIn;
    match w {
        WayIn::Usb => t.plant_ws_way_usb,
        WayIn::VendorPc => t.plant_ws_way_vendor_pc,
        WayIn::MaintenanceLine => t.plant_ws_way_maintenance_line,
        WayIn::OfficeLan => t.plant_ws_way_office_lan,
        WayIn::Internet => t.plant_ws_way_internet,
        WayIn::Cloud => t.plant_ws_way_cloud,
        WayIn::WiFi => t.plant_ws_way_wifi,
    }
}
