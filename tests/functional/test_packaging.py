"""The built wheel carries templates, static files and migrations, and serves a page."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SMOKE = textwrap.dedent(
    """
    import sys
    from flask_migrate import upgrade
    from blog import create_app
    import blog

    assert "site-packages" in blog.__file__, blog.__file__
    app = create_app({"SECRET_KEY": "x" * 32})
    with app.app_context():
        upgrade()
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 200 and b"Skip to content" in page.data, page.status_code
    css = client.get("/static/css/site.css")
    assert css.status_code == 200 and b"prefers-color-scheme" in css.data
    css.close()
    assert client.get("/setup").status_code == 200
    print("wheel ok")
    """
)


@pytest.mark.slow
def test_wheel_installs_and_serves_a_page_and_a_static_file(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("blog-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        timeout=600,
    )
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("BLOG_")
    }
    environment["BLOG_INSTANCE_PATH"] = str(tmp_path / "instance")
    result = subprocess.run(
        [str(python), "-c", SMOKE],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "wheel ok" in result.stdout
