//! The ledger's exports: the CSV's bytes (BOM, Chinese headers, RFC 4180 quoting, read-time
//! values) and the XLSX read back (a zip with one row per item below the header).

use std::io::Read;

use rectiflow_domain::testing::fixtures::{date, local};
use rectiflow_domain::values::Deadline;

use super::super::{to_csv, to_xlsx, ItemEntry};
use super::{assigned, fold, overdue, registered};

/// Two rows: an overdue item whose title needs quoting, and a registered one.
fn rows() -> Vec<ItemEntry> {
    let deadline = Deadline::new(date(2026, 3, 31));
    let mut first = fold(vec![registered(), assigned(deadline), overdue(deadline)]).expect("a row");
    first.title = "医保基金, \"挂床\"住院".into();
    let mut second = fold(vec![registered()]).expect("a row");
    second.code = "YB-2026-0002".into();
    vec![first, second]
}

#[test]
fn the_csv_is_utf8_with_a_bom_chinese_headers_and_rfc4180_quoting() {
    let as_of = local(2026, 4, 3, 9, 0);
    let bytes = to_csv(&rows(), as_of);
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a BOM");
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines.len(),
        4,
        "header, two rows, and the final line end: {text}"
    );
    assert_eq!(lines[3], "");
    assert!(
        lines[0].starts_with("问题编号,专项行动,专班,问题标题,"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("YB-2026-0001,qunfu-2026,yb,\"医保基金, \"\"挂床\"\"住院\","),
        "{}",
        lines[1]
    );
    // Judged at `as_of`: red, overdue, two whole days past 24:00 of 31 March.
    assert!(lines[1].contains(",红,是,2,否,"), "{}", lines[1]);
    assert!(lines[1].contains(",2026-03-31,2026-03-31,"), "{}", lines[1]);
    assert!(lines[2].starts_with("YB-2026-0002,"), "{}", lines[2]);
    assert!(lines[2].contains(",绿,否,0,否,"), "{}", lines[2]);
    // Every record has the header's number of fields, as a CSV reader counts them.
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let width = reader.headers().expect("a header").len();
    let records = reader
        .records()
        .map(|r| r.expect("a record"))
        .collect::<Vec<_>>();
    assert_eq!(records.len(), 2);
    assert!(records.iter().all(|r| r.len() == width));
    assert_eq!(&records[0][3], "医保基金, \"挂床\"住院");
}

#[test]
fn the_csv_of_no_rows_is_the_header_alone() {
    let bytes = to_csv(&[], local(2026, 4, 3, 9, 0));
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
    assert_eq!(text.matches("\r\n").count(), 1);
}

#[test]
fn the_xlsx_is_a_workbook_with_a_header_and_a_row_per_item() {
    let bytes = to_xlsx(&rows(), local(2026, 4, 3, 9, 0)).expect("a workbook");
    assert_eq!(&bytes[..4], b"PK\x03\x04", "a zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut sheet = String::new();
    archive
        .by_name("xl/worksheets/sheet1.xml")
        .expect("the sheet")
        .read_to_string(&mut sheet)
        .expect("the sheet's XML");
    assert_eq!(sheet.matches("<row ").count(), 3, "header and two rows");
    let mut strings = String::new();
    archive
        .by_name("xl/sharedStrings.xml")
        .expect("the strings")
        .read_to_string(&mut strings)
        .expect("the strings' XML");
    assert!(strings.contains("问题编号"));
    assert!(
        strings.contains("医保基金, &quot;挂床&quot;住院")
            || strings.contains("医保基金, \"挂床\"住院")
    );
    let mut styles = String::new();
    archive
        .by_name("xl/styles.xml")
        .expect("the styles")
        .read_to_string(&mut styles)
        .expect("the styles' XML");
    assert!(styles.contains("yyyy-mm-dd"), "dates formatted as dates");
}
