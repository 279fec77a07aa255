"""Entry point of the component provider plugin: `<python> <this folder> <engine address>`."""

from secured_m2m_api.provider import serve

if __name__ == "__main__":
    serve()
