"""What spreadsheets and export tools write: semicolons, tabs, Windows text, capitalised headers,
and a lone accounts file. Read as it is, and the import says how it read it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import rows

EXPECTED = [("instagram", "1", "zoë.bäckt", "Kuchen – süß", 1200), ("instagram", "2", "ola", "Wypieki", 300)]


def _accounts(ws) -> list[tuple]:
    return [(r["platform"], r["account_id"], r["handle"], r["bio"], r["followers"])
            for r in rows(ws, "accounts", "account_id")]


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    root = tmp_path / name
    root.mkdir()
    (root / "accounts.csv").write_bytes(text.encode(encoding))
    return root


def test_semicolons_tabs_windows_text_and_capitalised_headers_read_the_same(workspace, tmp_path):
    comma = "platform,account_id,handle,bio,followers\ninstagram,1,zoë.bäckt,Kuchen – süß,1200\ninstagram,2,ola,Wypieki,300\n"
    variants = {
        "semicolon": (comma.replace(",", ";"), "utf-8", "semicolon-separated"),
        "tab": (comma.replace(",", "\t"), "utf-8", "tab-separated"),
        "cp1252": (comma.replace("Wypieki", "Wypieki"), "cp1252", "Windows-1252"),
        "excel": ("Platform;Account ID;Handle;Bio;Followers\r\n" + comma.split("\n", 1)[1].replace(",", ";")
                  .replace("\n", "\r\n"), "cp1252", "Account ID → account_id"),
    }
    for name, (text, encoding, said) in variants.items():
        result = workspace.import_bundle(_write(tmp_path, name, text, encoding))
        assert _accounts(workspace) == EXPECTED, name
        assert any(said in w and "accounts.csv: read as" in w for w in result.warnings), (name, result.warnings)


def test_a_lone_accounts_file_is_a_bundle(workspace, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text("platform,account_id,handle,bio,followers\ninstagram,1,zoë.bäckt,Kuchen – süß,1200\n"
                    "instagram,2,ola,Wypieki,300\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not part of it")
    result = workspace.import_bundle(path)
    assert _accounts(workspace) == EXPECTED and not result.warnings
