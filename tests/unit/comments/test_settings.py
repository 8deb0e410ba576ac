"""blog.comments.settings: where the Akismet client's settings come from."""

from __future__ import annotations

from blog.comments.settings import akismet_config


def test_config_precedence():
    config = {
        "AKISMET_API_KEY": "from-config",
        "SITE_URL": "http://site",
        "ENV": "production",
    }
    conf = akismet_config(config, {"akismet_api_key": ""})
    assert conf.key == "from-config" and conf.blog_url == "http://site"
    assert conf.is_test is False and conf.enabled
    conf = akismet_config(config, {"akismet_api_key": "from-dashboard"})
    assert conf.key == "from-dashboard"
    assert not akismet_config({}, {}).enabled
