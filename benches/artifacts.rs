//! Throughput of the artifact pass alone, single thread, in MB/s.
//!
//! `cargo bench --bench artifacts`. Inputs are synthetic (written here): clean Chinese
//! text (one document per paragraph line group, as a corpus shard would hold), and
//! sample-004-like text (content-farm glosses, lost `?`, entities, invisible characters,
//! indentation). The reference point is a plain memchr scan of the same bytes (memory
//! speed) and `str::chars().count()` (a trivial full decode).
//!
//! The criterion, the repair stage with the artifact pass against the repair
//! stage without it, is measured last, on the clean text above and on the UTF-8 file
//! named by `ARTIFACTS_BENCH_TEXT` if set (in 10-line documents; e.g. text extracted
//! from Debian's zh documentation packages). On a shared machine, confirm with
//! `valgrind --tool=callgrind target/release/examples/repair_cost FILE both|mojibake-only`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use zhclean::repair::artifacts::{self, ArtifactOptions};
use zhclean::repair::{RepairOptions, RepairReport, Repairer};

const CLEAN: &str = "\
近年来，各地持续推进科技成果转化，围绕重点产业链布局创新链，着力打通从实验室到生产线的“最后一公里”。\
据统计，今年上半年全省技术合同成交额同比增长百分之二十以上，一批关键核心技术实现突破。\
专家表示，要进一步完善激励机制，让科研人员在成果转化中获得合理回报，同时加强知识产权保护（包括专利、商标和著作权），为创新营造良好环境。\n\
与此同时，相关部门还将加大对中小企业的支持力度：一是降低融资成本；二是优化审批流程；三是搭建公共服务平台。\
“我们希望通过这些措施，让更多好技术走出实验室。”一位负责人说。\n\
春天来了，公园里的花陆续开放，市民纷纷走出家门踏青赏花。周末的湖边游人如织，孩子们在草地上放风筝，老人们在树荫下下棋聊天。\n\n";

const FARM: &str = "\
當前位置: 首頁 ? 資訊 ? 行業(yè)資訊 ? 正文\n\n\
發(fā)布日期:2023-05-01??來源:本站??作者:李明\n\
\u{3000}\u{3000}為推動產(chǎn)業(yè)創(chuàng)新發(fā)展,本市實施創(chuàng)新驅(qū)動戰(zhàn)略,圍繞重點領(lǐng)域建設(shè)一批服務(wù)平臺,面向?qū)W科前沿開展技術(shù)攻關(guān)。\n\
\u{3000}\u{3000}會議指出,要加強基礎(chǔ)研究&nbsp;與應(yīng)用研究,完善科技成果轉(zhuǎn)化機制\u{200B},推動網(wǎng)絡(luò)與數(shù)據(jù)融合發(fā)展。  \n\
?\n?\n\
[ 搜索 ]? [ 收藏 ]? [ 打印 ]? [ 關(guān)閉 ]\n\n\n";

fn build(unit: &str, bytes: usize) -> Vec<String> {
    // Documents of the unit's size, as many as fill `bytes`.
    (0..bytes / unit.len()).map(|_| unit.to_string()).collect()
}

fn measure(name: &str, docs: &[String], f: &dyn Fn(&str) -> usize) -> f64 {
    let total: usize = docs.iter().map(String::len).sum();
    let mut best = Duration::MAX;
    let deadline = Instant::now() + Duration::from_millis(1500);
    let mut runs = 0;
    while runs < 3 || (Instant::now() < deadline && runs < 50) {
        let t = Instant::now();
        let mut sink = 0;
        for d in docs {
            sink += f(black_box(d));
        }
        black_box(sink);
        best = best.min(t.elapsed());
        runs += 1;
    }
    let mbs = total as f64 / best.as_secs_f64() / 1e6;
    println!(
        "{name:<44} {mbs:>9.0} MB/s  ({} docs, {total} bytes, best of {runs})",
        docs.len()
    );
    mbs
}

fn artifacts_pass(d: &str) -> usize {
    let mut report = RepairReport::default();
    let out = artifacts::repair(d, &ArtifactOptions::default(), &mut report);
    out.len() + report.repairs.len()
}

/// The repair stage, both passes (`both`) or the mojibake pass alone.
fn repair_stage(both: bool) -> impl Fn(&str) -> usize {
    let mut o = RepairOptions::new();
    if !both {
        o.artifacts = None;
    }
    let r = Repairer::with_options(o);
    move |d: &str| {
        let mut report = RepairReport::default();
        r.repair(d, &mut report).len() + report.repairs.len()
    }
}

/// Prints the repair stage's speed with and without the artifact pass on `docs`.
fn stage_ratio(name: &str, docs: &[String]) {
    println!("-- repair stage on {name}");
    let without = measure("mojibake pass only", docs, &repair_stage(false));
    let with = measure("mojibake + artifacts", docs, &repair_stage(true));
    println!(
        "   with artifacts: {:.1}% slower (target: within 10%)",
        (without / with - 1.0) * 100.0
    );
}

fn main() {
    let size = 16 << 20;
    // Clean Chinese: one big document, and the same bytes as short documents.
    let clean_big = vec![CLEAN.repeat(size / CLEAN.len())];
    let clean_docs = build(CLEAN, size);
    let farm_docs = build(FARM, 4 << 20);

    let memchr = |d: &str| memchr::memchr_iter(b'\n', d.as_bytes()).count();
    let chars = |d: &str| d.chars().count();

    println!("-- clean Chinese, one {} MB document", size >> 20);
    let m = measure(
        "memchr('\\n') count (memory-speed reference)",
        &clean_big,
        &memchr,
    );
    let c = measure("str::chars().count()", &clean_big, &chars);
    let a = measure("artifacts::repair", &clean_big, &artifacts_pass);
    println!(
        "   ratio artifacts/memchr {:.2}, artifacts/chars {:.2}",
        a / m,
        a / c
    );

    println!("-- clean Chinese, {}-byte documents", CLEAN.len());
    let m = measure("memchr('\\n') count", &clean_docs, &memchr);
    let a = measure("artifacts::repair", &clean_docs, &artifacts_pass);
    println!("   ratio artifacts/memchr {:.2}", a / m);

    println!(
        "-- sample-004-like farm text, {}-byte documents",
        FARM.len()
    );
    measure("artifacts::repair", &farm_docs, &artifacts_pass);

    // Adversarial 1 MB documents: each must stay linear (a quadratic rule would show
    // here as a figure orders of magnitude below the others).
    println!("-- adversarial 1 MB documents");
    let n = 1 << 20;
    let cases: [(&str, String); 8] = [
        ("ZWJ run", "\u{200D}".repeat(n / 3)),
        ("ZWSP run", "\u{200B}".repeat(n / 3)),
        ("'?' run", "?".repeat(n)),
        ("' ? ' separators on one line", "首頁 ? ".repeat(n / 10)),
        ("'(' run after Han", format!("業{}", "(".repeat(n))),
        ("glosses", "業(yè)".repeat(n / 8)),
        (
            "misaligned glosses",
            format!("專業(yè)產(chǎn)發(fā){}", "向?qū)W".repeat(n / 9)),
        ),
        ("spaces and blank lines", " \n\u{3000}\n".repeat(n / 6)),
    ];
    for (name, doc) in cases {
        measure(name, &[doc], &artifacts_pass);
    }

    stage_ratio("clean Chinese documents", &build(CLEAN, 4 << 20));
    if let Ok(path) = std::env::var("ARTIFACTS_BENCH_TEXT") {
        let text = std::fs::read_to_string(&path).expect("ARTIFACTS_BENCH_TEXT: a UTF-8 file");
        let lines: Vec<&str> = text.lines().collect();
        let docs: Vec<String> = lines.chunks(10).map(|c| c.join("\n")).collect();
        stage_ratio(&path, &docs);
    }
}
