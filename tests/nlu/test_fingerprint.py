"""Each component's cache key covers what it reads, and only that."""
from bot.knowledge import knowledge_files
from bot.nlu import fingerprint
from bot.nlu.fingerprint import REPO_ROOT, module_files, source_digest
from bot.nlu.tokenizer import BilingualTokenizer


def _relative(paths):
    return {str(p.relative_to(REPO_ROOT)) for p in paths}


def test_imports_are_followed_transitively():
    files = _relative(module_files("bot.nlu.acts"))
    assert {"bot/nlu/acts.py", "bot/nlu/understanding.py", "bot/knowledge/__init__.py", "bot/nlu/text.py"} <= files


def test_the_classifier_does_not_depend_on_the_knowledge_base():
    files = _relative(module_files("bot.nlu.linear_classifier"))
    assert "bot/nlu/tokenizer.py" in files
    assert not any(f.startswith("bot/knowledge") or f.endswith("understanding.py") for f in files)


def test_a_data_file_changes_the_digest_of_the_component_that_reads_it(tmp_path, monkeypatch):
    cue_file = tmp_path / "topics.yml"
    cue_file.write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr(fingerprint, "REPO_ROOT", tmp_path.parent)
    monkeypatch.setattr(fingerprint, "_module_file", lambda name: None)
    before = source_digest("bot.nlu.acts", [cue_file])
    cue_file.write_text("a: 2\n", encoding="utf-8")
    assert source_digest("bot.nlu.acts", [cue_file]) != before


def test_the_knowledge_files_are_the_repository_yml_files():
    assert {p.name for p in knowledge_files()} >= {"topics.yml", "aspects.yml"}


def test_the_tokenizers_key_covers_the_dictionary_folder_it_is_configured_with(tmp_path):
    (tmp_path / "words.txt").write_text("邀请核实单 100\n", encoding="utf-8")
    before = BilingualTokenizer.fingerprint_addon({"dictionary_path": str(tmp_path)})
    (tmp_path / "words.txt").write_text("邀请核实单 200\n", encoding="utf-8")
    assert BilingualTokenizer.fingerprint_addon({"dictionary_path": str(tmp_path)}) != before
