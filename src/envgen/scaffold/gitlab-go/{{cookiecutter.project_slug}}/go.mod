module gitlab.corp.example/{{ cookiecutter.project_slug }}

go 1.23
