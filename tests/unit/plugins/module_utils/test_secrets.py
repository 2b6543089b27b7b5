import base64
import json
from urllib.parse import quote, quote_plus

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import mask, secret_forms

TOKEN = "p@ss/w0rd+tok=en"
URL = f"https://dockwright:{quote(TOKEN, safe='')}@pypi.example.com/simple"


@pytest.mark.parametrize("form", [
    URL, quote(URL, safe=""), quote_plus(URL), json.dumps(URL)[1:-1],
    f"dockwright:{quote(TOKEN, safe='')}", quote(TOKEN, safe=""), TOKEN,
    base64.b64encode(f"dockwright:{quote(TOKEN, safe='')}".encode()).decode(),
])
def test_every_form_of_an_index_url_is_masked(form):
    text = mask(f"build arguments: PIP_INDEX_URL={form} and more", [URL])
    assert text == "build arguments: PIP_INDEX_URL=***** and more"


@pytest.mark.parametrize("secret", ["AKIADOCKWRIGHTTEST01", 'se"cr\\et-key', "tok en+/="])
def test_a_plain_secret_in_its_forms(secret):
    for form in secret_forms(secret):
        assert secret not in mask(f"<{form}>", [secret]) and "*****" in mask(f"<{form}>", [secret])
    assert mask(base64.b64encode(secret.encode()).decode(), [secret]) == "*****"


def test_empty_and_short_secrets_leave_text_alone():
    assert mask("a b c", ["", None]) == "a b c"
    assert mask("https://a:b@h/x and b", ["https://a:b@h/x"]) == "***** and b"  # "b" alone is too short to mask
    assert mask("nothing", None) == "nothing"


@pytest.mark.parametrize("secret", ['to/k"en\\wi/th', "sl/ash tok/en", 'quo"te"token', 'pä\\ss"wörd'])
def test_secrets_holding_slashes_quotes_and_backslashes_are_masked_in_every_form(secret):
    forms = [secret, quote(secret), quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1],
             secret.replace("\\", "\\\\").replace('"', '\\"'), base64.b64encode(secret.encode()).decode()]
    for form in forms:
        assert mask(f"before {form} after", [secret]) == "before ***** after", form
    assert set(forms) <= set(secret_forms(secret))


def test_a_part_of_exactly_the_minimum_length_is_masked_and_a_shorter_one_is_not():
    assert mask("user:abcd@host", ["https://user:abcd@host/simple"]) == "*****@host"
    assert mask("pw abcd here", ["https://user:abcd@host/simple"]) == "pw ***** here"
    assert mask("pw abc here", ["https://user:abc@host/simple"]) == "pw abc here"
